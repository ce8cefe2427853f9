-- Admins deactivate and reactivate agents (issue #21): as SQLite's 0020_agent_active.sql.
ALTER TABLE agents ADD COLUMN active BOOLEAN NOT NULL DEFAULT TRUE;
