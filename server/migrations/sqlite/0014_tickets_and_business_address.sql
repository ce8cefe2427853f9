-- Tickets an integration links to a conversation (PUT /conversations/{id}/tickets/{external_id}).
-- The conversation's `ticket_id` is the newest one's external id, read from here: the column
-- that held it as a second, hand-edited copy goes (its values become tickets first).
CREATE TABLE tickets (
    id INTEGER PRIMARY KEY,
    conversation_id INTEGER NOT NULL REFERENCES conversations(id),
    external_id TEXT NOT NULL,
    title TEXT NOT NULL,
    status TEXT NOT NULL,
    url TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (conversation_id, external_id)
);
-- The newest ticket of a conversation (its `ticket_id`), and a contact's history newest first.
CREATE INDEX tickets_conversation_newest ON tickets(conversation_id, created_at DESC, id DESC);

INSERT INTO tickets (conversation_id, external_id, title, status, created_at, updated_at)
SELECT id, ticket_id, 'Ticket ' || ticket_id, 'open', created_at, created_at
FROM conversations WHERE ticket_id IS NOT NULL AND ticket_id <> '';

ALTER TABLE conversations DROP COLUMN ticket_id;

-- The business number or address the conversation used (absent for live chat).
ALTER TABLE conversations ADD COLUMN business_address TEXT;
