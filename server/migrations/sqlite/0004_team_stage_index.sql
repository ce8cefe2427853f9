-- The pipeline board filters a team's conversations by stage, newest activity first.
CREATE INDEX IF NOT EXISTS conversations_team_stage ON conversations(team_id, pipeline_stage, last_activity_at DESC, id DESC);
