-- Conversations per (label, status, team, assignee, channel); NULL team/assignee stored as 0.
-- Answers the list's ownership counts under a label filter without visiting every labelled
-- conversation (a common label covers tens of thousands). Kept by triggers on both tables;
-- the seeder rebuilds it wholesale after bulk inserts. Postgres: trigger functions.
CREATE TABLE conversation_label_counts (
    label TEXT NOT NULL,
    status TEXT NOT NULL,
    team_id INTEGER NOT NULL,
    assignee_id INTEGER NOT NULL,
    channel TEXT NOT NULL,
    n INTEGER NOT NULL,
    PRIMARY KEY (label, status, team_id, assignee_id, channel)
);
INSERT INTO conversation_label_counts (label, status, team_id, assignee_id, channel, n)
SELECT l.label, c.status, COALESCE(c.team_id, 0), COALESCE(c.assignee_id, 0), c.channel, COUNT(*)
FROM conversation_labels l JOIN conversations c ON c.id = l.conversation_id
GROUP BY 1, 2, 3, 4, 5;

CREATE TRIGGER conversation_label_counts_label_insert AFTER INSERT ON conversation_labels BEGIN
    INSERT INTO conversation_label_counts (label, status, team_id, assignee_id, channel, n)
    SELECT NEW.label, c.status, COALESCE(c.team_id, 0), COALESCE(c.assignee_id, 0), c.channel, 1
    FROM conversations c WHERE c.id = NEW.conversation_id
    ON CONFLICT (label, status, team_id, assignee_id, channel) DO UPDATE SET n = n + 1;
END;

-- When the conversation itself is being deleted its row is already gone here; the
-- conversation's delete trigger below has counted its labels out.
CREATE TRIGGER conversation_label_counts_label_delete AFTER DELETE ON conversation_labels BEGIN
    UPDATE conversation_label_counts SET n = n - 1
    WHERE (label, status, team_id, assignee_id, channel) IN (
        SELECT OLD.label, c.status, COALESCE(c.team_id, 0), COALESCE(c.assignee_id, 0), c.channel
        FROM conversations c WHERE c.id = OLD.conversation_id);
END;

CREATE TRIGGER conversation_label_counts_conversation_delete BEFORE DELETE ON conversations BEGIN
    UPDATE conversation_label_counts SET n = n - 1
    WHERE status = OLD.status AND team_id = COALESCE(OLD.team_id, 0)
      AND assignee_id = COALESCE(OLD.assignee_id, 0) AND channel = OLD.channel
      AND label IN (SELECT label FROM conversation_labels WHERE conversation_id = OLD.id);
END;

CREATE TRIGGER conversation_label_counts_conversation_update
AFTER UPDATE OF status, team_id, assignee_id, channel ON conversations BEGIN
    UPDATE conversation_label_counts SET n = n - 1
    WHERE status = OLD.status AND team_id = COALESCE(OLD.team_id, 0)
      AND assignee_id = COALESCE(OLD.assignee_id, 0) AND channel = OLD.channel
      AND label IN (SELECT label FROM conversation_labels WHERE conversation_id = OLD.id);
    INSERT INTO conversation_label_counts (label, status, team_id, assignee_id, channel, n)
    SELECT label, NEW.status, COALESCE(NEW.team_id, 0), COALESCE(NEW.assignee_id, 0), NEW.channel, 1
    FROM conversation_labels WHERE conversation_id = NEW.id
    ON CONFLICT (label, status, team_id, assignee_id, channel) DO UPDATE SET n = n + 1;
END;
