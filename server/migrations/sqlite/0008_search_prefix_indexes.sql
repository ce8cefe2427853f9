-- Prefix indexes for search-as-you-type. Without them a query for "ref"* merges the
-- posting lists of every word that starts with "ref"; with them it reads one list. The
-- server asks for message prefixes from 3 characters and name prefixes from 1.
DROP TABLE conversation_fts;
CREATE VIRTUAL TABLE conversation_fts USING fts5(
    body, content='', contentless_delete=1, tokenize='unicode61 remove_diacritics 2', prefix='3 4'
);
INSERT INTO conversation_fts (rowid, body)
SELECT conversation_id * 1048576 + seg, group_concat(body, ' ')
FROM (
    SELECT conversation_id, body,
           (ROW_NUMBER() OVER (PARTITION BY conversation_id ORDER BY id) - 1) / 50 AS seg
    FROM messages WHERE kind <> 'system' AND body <> ''
)
GROUP BY conversation_id, seg;

CREATE VIRTUAL TABLE contacts_fts_prefixed USING fts5(
    name, identifiers, tokenize='unicode61 remove_diacritics 2', prefix='1 2 3'
);
INSERT INTO contacts_fts_prefixed (rowid, name, identifiers)
SELECT rowid, name, identifiers FROM contacts_fts;
DROP TABLE contacts_fts;
ALTER TABLE contacts_fts_prefixed RENAME TO contacts_fts;
