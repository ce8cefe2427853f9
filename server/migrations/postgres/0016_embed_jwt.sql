-- An embed token's secret for host-signed JWTs (issue #21): as SQLite's 0022.
ALTER TABLE auth_tokens ADD COLUMN jwt_secret TEXT;
