-- Teams are created, renamed, staffed and archived by admins (issue #21).
ALTER TABLE teams ADD COLUMN archived INTEGER NOT NULL DEFAULT 0;
