-- Snooze (issue #23): a snoozed conversation reopens by itself at `snoozed_until` (RFC 3339,
-- UTC, so text order is time order). The index finds the due ones without a scan.
ALTER TABLE conversations ADD COLUMN snoozed_until TEXT;
CREATE INDEX conversations_snoozed_until ON conversations(snoozed_until) WHERE snoozed_until IS NOT NULL;
