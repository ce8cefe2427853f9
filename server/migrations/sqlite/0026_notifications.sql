-- The notification centre (issue #23): one row per thing an agent is told about, read or
-- not; the agent's switches per kind (JSON, absent = defaults); a team's threshold after
-- which a waiting customer alerts the conversation's agent, and the wait (its
-- `waiting_since`) a conversation alerted for, so each wait alerts once.
CREATE TABLE notifications (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    agent_id INTEGER NOT NULL REFERENCES agents(id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('assigned', 'message', 'mention', 'waiting')),
    conversation_id INTEGER NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
    actor_id INTEGER REFERENCES agents(id) ON DELETE SET NULL,
    message_id INTEGER,
    preview TEXT NOT NULL,
    created_at TEXT NOT NULL,
    read_at TEXT
);
CREATE INDEX notifications_of_agent ON notifications(agent_id, created_at);
CREATE INDEX notifications_unread ON notifications(agent_id, conversation_id) WHERE read_at IS NULL;
ALTER TABLE agents ADD COLUMN notification_prefs TEXT;
ALTER TABLE conversations ADD COLUMN waiting_alerted_for TEXT;
ALTER TABLE teams ADD COLUMN waiting_alert_minutes INTEGER;
