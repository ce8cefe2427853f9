-- Admins define custom attributes in Settings (issue #21): as SQLite's 0021.
ALTER TABLE attribute_definitions ADD COLUMN required BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE attribute_definitions ADD COLUMN version BIGINT NOT NULL DEFAULT 1;

-- Positions count within each kind of record (the seed counted across both).
CREATE TEMP TABLE attribute_order AS
    SELECT applies_to, key, ROW_NUMBER() OVER (PARTITION BY applies_to ORDER BY position, key) - 1 AS place
    FROM attribute_definitions;
UPDATE attribute_definitions SET position = (
    SELECT o.place FROM attribute_order o
    WHERE o.applies_to = attribute_definitions.applies_to AND o.key = attribute_definitions.key
);
DROP TABLE attribute_order;
