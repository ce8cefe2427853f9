-- Number attributes may have bounds (a lifetime value is never negative); the app and the
-- server check them with the same `AttributeValue::validate`.
ALTER TABLE attribute_definitions ADD COLUMN minimum REAL;
ALTER TABLE attribute_definitions ADD COLUMN maximum REAL;
UPDATE attribute_definitions SET minimum = 0 WHERE key = 'lifetime_value' AND kind = 'number';
