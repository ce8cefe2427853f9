-- Admins deactivate and reactivate agents (issue #21).
ALTER TABLE agents ADD COLUMN active INTEGER NOT NULL DEFAULT 1;
