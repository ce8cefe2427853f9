-- Admins define custom attributes in Settings (issue #21): required ones, and a version for
-- If-Match like every other setting.
ALTER TABLE attribute_definitions ADD COLUMN required INTEGER NOT NULL DEFAULT 0;
ALTER TABLE attribute_definitions ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
