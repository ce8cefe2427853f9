-- An embed token's secret for host-signed JWTs (HS256), exchanged like the token itself
-- (issue #21). Kept in clear: verifying an HMAC needs it.
ALTER TABLE auth_tokens ADD COLUMN jwt_secret TEXT;
