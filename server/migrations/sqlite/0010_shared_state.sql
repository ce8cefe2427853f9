-- State every server process must see the same (PostgreSQL runs several replicas on one
-- database; SQLite keeps the same tables so both backends run the same code).

-- Stream tickets: single use, 60 s; the SHA-256 of the ticket and of the token it stands for.
CREATE TABLE stream_tickets (
    ticket_hash TEXT PRIMARY KEY,
    token_hash TEXT NOT NULL,
    expires_ms INTEGER NOT NULL
);

-- Failed sign-ins per key (email or client address) for the rate limit.
CREATE TABLE sign_in_failures (
    key TEXT NOT NULL,
    at_ms INTEGER NOT NULL
);
CREATE INDEX sign_in_failures_key ON sign_in_failures(key, at_ms);

-- Who is looking at which conversation: the last heartbeat per agent.
CREATE TABLE presence (
    conversation_id INTEGER NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
    agent_id INTEGER NOT NULL,
    seen_ms INTEGER NOT NULL,
    PRIMARY KEY (conversation_id, agent_id)
);

-- Idle AI reviews a server process has taken on, so each runs once (until `until_ms`: a
-- process that died mid-review leaves it to another after that).
CREATE TABLE ai_review_claims (
    conversation_id INTEGER PRIMARY KEY,
    until_ms INTEGER NOT NULL
);

-- A revoked token's SHA-256 travels through the event log (a row no client receives), so the
-- event streams it opened end on every server process.
ALTER TABLE events ADD COLUMN revoked_token TEXT;
