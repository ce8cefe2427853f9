-- Who is typing a reply (issue #23): as SQLite's 0025_typing.sql.
ALTER TABLE presence ADD COLUMN typing_until_ms BIGINT;
