-- Each agent as themselves in an embedded panel (issue #21): as SQLite's 0017_agent_external_id.sql.
ALTER TABLE agents ADD COLUMN external_id TEXT;
CREATE UNIQUE INDEX agents_external_id ON agents(external_id) WHERE external_id IS NOT NULL;
