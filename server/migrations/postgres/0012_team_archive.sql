-- Teams are created, renamed, staffed and archived by admins (issue #21): as SQLite's 0018.
ALTER TABLE teams ADD COLUMN archived BOOLEAN NOT NULL DEFAULT FALSE;
