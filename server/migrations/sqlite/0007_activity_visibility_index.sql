-- The default sort order carrying the columns of an agent's visibility (team, assignee), so
-- walking it for a large search or label set decides visibility without a row lookup.
CREATE INDEX IF NOT EXISTS conversations_activity_visible ON conversations(last_activity_at DESC, id DESC, team_id, assignee_id);
