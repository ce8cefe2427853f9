-- State every replica must see the same: the same tables as SQLite's 0010.

-- Stream tickets: single use, 60 s; the SHA-256 of the ticket and of the token it stands for.
CREATE TABLE stream_tickets (
    ticket_hash TEXT PRIMARY KEY,
    token_hash TEXT NOT NULL,
    expires_ms BIGINT NOT NULL
);

-- Failed sign-ins per key (email or client address) for the rate limit.
CREATE TABLE sign_in_failures (
    key TEXT NOT NULL,
    at_ms BIGINT NOT NULL
);
CREATE INDEX sign_in_failures_key ON sign_in_failures(key, at_ms);

-- Who is looking at which conversation: the last heartbeat per agent.
CREATE TABLE presence (
    conversation_id BIGINT NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
    agent_id BIGINT NOT NULL,
    seen_ms BIGINT NOT NULL,
    PRIMARY KEY (conversation_id, agent_id)
);

-- Idle AI reviews a server process has taken on, so each runs once (until `until_ms`: a
-- process that died mid-review leaves it to another after that).
CREATE TABLE ai_review_claims (
    conversation_id BIGINT PRIMARY KEY,
    until_ms BIGINT NOT NULL
);

-- A revoked token's SHA-256 travels through the event log (a row no client receives), so the
-- event streams it opened end on every server process.
ALTER TABLE events ADD COLUMN revoked_token TEXT;
