-- Search by conversation instead of by message, and precomputed ownership counts.
--
-- conversation_fts holds the searchable text of a conversation in segments of up to 50
-- messages (rowid = conversation_id * 1048576 + segment), so a term matches once per
-- conversation segment rather than once per message and appending a message rewrites
-- at most one small segment. Contentless: the text already lives in `messages`.
DROP TABLE IF EXISTS messages_fts;
CREATE VIRTUAL TABLE conversation_fts USING fts5(
    body, content='', contentless_delete=1, tokenize='unicode61 remove_diacritics 2'
);
INSERT INTO conversation_fts (rowid, body)
SELECT conversation_id * 1048576 + seg, group_concat(body, ' ')
FROM (
    SELECT conversation_id, body,
           (ROW_NUMBER() OVER (PARTITION BY conversation_id ORDER BY id) - 1) / 50 AS seg
    FROM messages WHERE kind <> 'system' AND body <> ''
)
GROUP BY conversation_id, seg;

-- Conversations per (status, team, assignee, channel); NULL team/assignee stored as 0.
-- Answers the list's ownership counts without scanning conversations when the filters
-- are among these columns. Postgres: the same table kept by a trigger function.
CREATE TABLE conversation_counts (
    status TEXT NOT NULL,
    team_id INTEGER NOT NULL,
    assignee_id INTEGER NOT NULL,
    channel TEXT NOT NULL,
    n INTEGER NOT NULL,
    PRIMARY KEY (status, team_id, assignee_id, channel)
);
INSERT INTO conversation_counts (status, team_id, assignee_id, channel, n)
SELECT status, COALESCE(team_id, 0), COALESCE(assignee_id, 0), channel, COUNT(*)
FROM conversations GROUP BY 1, 2, 3, 4;

CREATE TRIGGER conversation_counts_insert AFTER INSERT ON conversations BEGIN
    INSERT INTO conversation_counts (status, team_id, assignee_id, channel, n)
    VALUES (NEW.status, COALESCE(NEW.team_id, 0), COALESCE(NEW.assignee_id, 0), NEW.channel, 1)
    ON CONFLICT (status, team_id, assignee_id, channel) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER conversation_counts_delete AFTER DELETE ON conversations BEGIN
    UPDATE conversation_counts SET n = n - 1
    WHERE status = OLD.status AND team_id = COALESCE(OLD.team_id, 0)
      AND assignee_id = COALESCE(OLD.assignee_id, 0) AND channel = OLD.channel;
END;

CREATE TRIGGER conversation_counts_update AFTER UPDATE OF status, team_id, assignee_id, channel ON conversations BEGIN
    UPDATE conversation_counts SET n = n - 1
    WHERE status = OLD.status AND team_id = COALESCE(OLD.team_id, 0)
      AND assignee_id = COALESCE(OLD.assignee_id, 0) AND channel = OLD.channel;
    INSERT INTO conversation_counts (status, team_id, assignee_id, channel, n)
    VALUES (NEW.status, COALESCE(NEW.team_id, 0), COALESCE(NEW.assignee_id, 0), NEW.channel, 1)
    ON CONFLICT (status, team_id, assignee_id, channel) DO UPDATE SET n = n + 1;
END;

CREATE INDEX conversations_stage_activity ON conversations(pipeline_stage, last_activity_at DESC, id DESC);
-- Sorts combined with the common status filter.
CREATE INDEX conversations_status_waiting ON conversations(status, COALESCE(waiting_since, '9999-12-31'), id);
CREATE INDEX conversations_status_created ON conversations(status, created_at DESC, id DESC);
-- A narrow index that covers visibility and the column filters, so counting a large
-- label or search set walks it instead of looking up thousands of wide rows.
DROP INDEX conversations_counts;
CREATE INDEX conversations_counts ON conversations(status, team_id, assignee_id, channel, contact_id);
