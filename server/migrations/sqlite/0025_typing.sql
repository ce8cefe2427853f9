-- Who is typing a reply (issue #23): until when an agent's last keystroke counts, per
-- conversation, next to their presence heartbeat.
ALTER TABLE presence ADD COLUMN typing_until_ms INTEGER;
