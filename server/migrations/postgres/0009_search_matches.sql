-- A search's matches as one row (the ids as an array literal, and how many), aggregated inside
-- the function: the set-returning lookups of 0003 hand every matching row out of the function
-- first (a common word: 25 000 rows into a tuplestore), which cost more than the index lookup.
-- Same rules as 0003: always the GIN indexes (SET enable_seqscan = off), words as to_tsquery
-- input built by the server; `words` NULL searches names and identifiers only.
CREATE FUNCTION search_matches(names TEXT, words TEXT, OUT ids TEXT, OUT n BIGINT)
    LANGUAGE sql STABLE SET enable_seqscan = off
    AS $$ SELECT COALESCE(CAST(array_agg(m.id) AS TEXT), '{}'), COUNT(*) FROM (
            SELECT conversation_id AS id FROM conversation_search
              WHERE words IS NOT NULL
                AND conversation_words(conversation_id, segment, version) @@ to_tsquery('simple', words)
            UNION ALL
            SELECT c2.id FROM conversations c2 WHERE c2.contact_id IN (
              SELECT contact_id FROM contact_search
              WHERE contact_words(contact_id, version) @@ to_tsquery('simple', names))
          ) AS m $$;
