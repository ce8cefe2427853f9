-- Admins define custom attributes in Settings (issue #21): as SQLite's 0021.
ALTER TABLE attribute_definitions ADD COLUMN required BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE attribute_definitions ADD COLUMN version BIGINT NOT NULL DEFAULT 1;
