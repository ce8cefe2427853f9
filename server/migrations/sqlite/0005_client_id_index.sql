-- Finds a client-generated id across conversations (idempotent conversation creation).
CREATE INDEX IF NOT EXISTS messages_client ON messages(client_id) WHERE client_id IS NOT NULL;
