-- Number attributes may have bounds (a lifetime value is never negative); the app and the
-- server check them with the same `AttributeValue::validate`.
ALTER TABLE attribute_definitions ADD COLUMN minimum DOUBLE PRECISION;
ALTER TABLE attribute_definitions ADD COLUMN maximum DOUBLE PRECISION;
UPDATE attribute_definitions SET minimum = 0 WHERE key = 'lifetime_value' AND kind = 'number';
