-- Replies reach the customer (issue #15): channel integrations, the durable delivery queue
-- and the log of every webhook attempt.

-- A connection to a channel bridge. Its inbound token is an `auth_tokens` row (kind
-- 'integration', scope 'inbound', stored hashed); its signing secret is kept in clear because
-- every request is signed with it, and is never read back through the API.
CREATE TABLE integrations (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    webhook_url TEXT NOT NULL,
    signing_secret TEXT NOT NULL,
    token_id INTEGER REFERENCES auth_tokens(id) ON DELETE SET NULL,
    paused INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
);

-- Which integration delivers each channel's replies: one at most.
CREATE TABLE integration_channels (
    channel TEXT PRIMARY KEY,
    integration_id INTEGER NOT NULL REFERENCES integrations(id) ON DELETE CASCADE
);

-- One row per reply to deliver, written in the transaction that stores the reply. `state` is
-- 'queued' until the receiver accepted it ('done') or the last attempt failed ('failed'); a
-- retry from the app puts it back to 'queued' with the same idempotency key. A replica works
-- on a row only while it holds the claim (`claimed_until_ms`), so a replica that dies
-- mid-attempt leaves it to the next one.
CREATE TABLE deliveries (
    id INTEGER PRIMARY KEY,
    message_id INTEGER NOT NULL UNIQUE REFERENCES messages(id) ON DELETE CASCADE,
    integration_id INTEGER REFERENCES integrations(id) ON DELETE SET NULL,
    idempotency_key TEXT NOT NULL UNIQUE,
    state TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    queued_at_ms INTEGER NOT NULL,
    next_attempt_ms INTEGER NOT NULL,
    claimed_until_ms INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX deliveries_due ON deliveries(state, next_attempt_ms);

-- Every POST to a webhook (replies and test events), newest read first per integration.
CREATE TABLE delivery_attempts (
    id INTEGER PRIMARY KEY,
    integration_id INTEGER NOT NULL REFERENCES integrations(id) ON DELETE CASCADE,
    event TEXT NOT NULL,
    message_id INTEGER,
    conversation_id INTEGER,
    attempt INTEGER NOT NULL,
    outcome TEXT NOT NULL,
    http_status INTEGER,
    error TEXT,
    response_excerpt TEXT,
    duration_ms INTEGER NOT NULL,
    at TEXT NOT NULL
);
CREATE INDEX delivery_attempts_log ON delivery_attempts(integration_id, id);

ALTER TABLE messages ADD COLUMN delivery_error TEXT;
-- The list's failed-delivery marker counts these per conversation.
CREATE INDEX messages_failed_delivery ON messages(conversation_id) WHERE delivery = 'failed';
