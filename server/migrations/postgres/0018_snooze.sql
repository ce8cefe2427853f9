-- Snooze (issue #23): as SQLite's 0024_snooze.sql.
ALTER TABLE conversations ADD COLUMN snoozed_until TEXT;
CREATE INDEX conversations_snoozed_until ON conversations(snoozed_until) WHERE snoozed_until IS NOT NULL;
