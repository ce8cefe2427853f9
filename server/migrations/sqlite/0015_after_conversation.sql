-- After-conversation work (issue #22, item 14): the dispositions agents pick from when
-- resolving, what each team requires then, and what was recorded on each session.

-- The workspace's dispositions, in list order (positions 0..n-1, no gaps). Conversations keep
-- the name they were resolved with, so renaming or deleting one rewrites no conversation.
CREATE TABLE dispositions (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    position INTEGER NOT NULL,
    archived INTEGER NOT NULL DEFAULT 0,
    version INTEGER NOT NULL DEFAULT 1
);

ALTER TABLE teams ADD COLUMN disposition_required INTEGER NOT NULL DEFAULT 0;
ALTER TABLE teams ADD COLUMN wrap_up_note_required INTEGER NOT NULL DEFAULT 0;
ALTER TABLE teams ADD COLUMN hangup_source_required INTEGER NOT NULL DEFAULT 0;
ALTER TABLE teams ADD COLUMN version INTEGER NOT NULL DEFAULT 1;

ALTER TABLE conversation_sessions ADD COLUMN disposition TEXT;
ALTER TABLE conversation_sessions ADD COLUMN wrap_up_note TEXT;
ALTER TABLE conversation_sessions ADD COLUMN hangup_source TEXT;
