-- Internal notes are one thing: the thread's `kind = 'note'` messages. The details panel's
-- notes, kept in a table of their own until now, move into the thread at the time they were
-- written (in the session that was open then); notes can be edited, so messages carry a
-- version and when they were last edited.
ALTER TABLE messages ADD COLUMN updated_at TEXT;
ALTER TABLE messages ADD COLUMN version BIGINT NOT NULL DEFAULT 1;

INSERT INTO messages (conversation_id, session_id, kind, author_id, body, created_at, updated_at, version)
SELECT n.conversation_id,
       COALESCE(
           (SELECT s.id FROM conversation_sessions s
             WHERE s.conversation_id = n.conversation_id AND s.started_at <= n.created_at
             ORDER BY s.number DESC LIMIT 1),
           (SELECT s.id FROM conversation_sessions s
             WHERE s.conversation_id = n.conversation_id ORDER BY s.number LIMIT 1),
           0),
       'note', n.author_id, n.body, n.created_at,
       CASE WHEN n.version > 1 THEN n.updated_at END, n.version
FROM notes n
ORDER BY n.id;

UPDATE conversation_sessions
SET message_count = (SELECT COUNT(*) FROM messages m WHERE m.session_id = conversation_sessions.id)
WHERE id IN (SELECT DISTINCT session_id FROM messages WHERE kind = 'note');

DROP TABLE notes;
