-- Priority has one source: the conversation's `priority` field. `priority::x` labels were a
-- second one that disagreed with it; from now on they are only an alias that sets the field
-- (server/src/conversations/labels.rs). Existing ones move into the field where it says less
-- (none, or a lower priority), then leave conversations, their counts, the catalogue and
-- saved views. LIKE is case-insensitive here, as the alias is.

UPDATE conversations
SET priority = CASE p.rank WHEN 4 THEN 'urgent' WHEN 3 THEN 'high' WHEN 2 THEN 'medium' ELSE 'low' END
FROM (
    SELECT conversation_id,
           MAX(CASE lower(substr(label, 11))
               WHEN 'urgent' THEN 4 WHEN 'high' THEN 3 WHEN 'medium' THEN 2 WHEN 'low' THEN 1
               ELSE 0 END) AS rank
    FROM conversation_labels WHERE label LIKE 'priority::%'
    GROUP BY conversation_id
) AS p
WHERE p.conversation_id = conversations.id AND p.rank > 0
  AND p.rank > CASE conversations.priority
      WHEN 'urgent' THEN 4 WHEN 'high' THEN 3 WHEN 'medium' THEN 2 WHEN 'low' THEN 1 ELSE 0 END;

-- The row's copy of its labels (what reads return), in its order; a new version so that a
-- client holding the old one takes this one.
UPDATE conversations
SET labels = (SELECT json_group_array(value)
              FROM (SELECT value FROM json_each(conversations.labels)
                    WHERE value NOT LIKE 'priority::%' ORDER BY key)),
    version = version + 1
WHERE labels LIKE '%"priority::%';

-- The delete trigger counts each row out of conversation_label_counts; the emptied count
-- rows go too.
DELETE FROM conversation_labels WHERE label LIKE 'priority::%';
DELETE FROM conversation_label_counts WHERE label LIKE 'priority::%';
DELETE FROM labels WHERE name LIKE 'priority::%';

-- A saved view filtering on a priority label filters on the field instead.
UPDATE views
SET filter = json_remove(json_set(filter, '$.priority', lower(substr(json_extract(filter, '$.label'), 11))), '$.label'),
    version = version + 1
WHERE lower(json_extract(filter, '$.label')) IN
      ('priority::none', 'priority::low', 'priority::medium', 'priority::high', 'priority::urgent');
UPDATE views
SET filter = json_remove(filter, '$.label'), version = version + 1
WHERE json_extract(filter, '$.label') LIKE 'priority::%';

-- The list's `priority` sort (server/src/conversations/list.rs, `priority_sort_key`: the
-- expression must stay spelled the same): most pressing first, then most recent activity.
CREATE INDEX conversations_priority ON conversations(
    (CASE priority WHEN 'low' THEN '1' WHEN 'medium' THEN '2' WHEN 'high' THEN '3' WHEN 'urgent' THEN '4' ELSE '0' END || last_activity_at) DESC,
    id DESC);
CREATE INDEX conversations_status_priority ON conversations(status,
    (CASE priority WHEN 'low' THEN '1' WHEN 'medium' THEN '2' WHEN 'high' THEN '3' WHEN 'urgent' THEN '4' ELSE '0' END || last_activity_at) DESC,
    id DESC);
