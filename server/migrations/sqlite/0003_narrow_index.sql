-- Id-first narrow copy of the columns behind visibility and the column filters: counting a
-- label or search set looks each id up here instead of in the wide conversations rows.
CREATE INDEX IF NOT EXISTS conversations_narrow ON conversations(id, status, team_id, assignee_id, channel, contact_id);
