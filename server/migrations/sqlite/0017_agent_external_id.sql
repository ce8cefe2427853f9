-- Each agent as themselves in an embedded panel (issue #21): the host helpdesk's id for an
-- agent, by which its backend syncs agents and exchanges its embed token for their session.
ALTER TABLE agents ADD COLUMN external_id TEXT;
CREATE UNIQUE INDEX agents_external_id ON agents(external_id) WHERE external_id IS NOT NULL;
