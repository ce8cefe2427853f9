-- Files agents attach (issue #23). The bytes live under the uploads directory, named by their
-- SHA-256 (`id`); a row per conversation the file was uploaded to decides who may read it.
CREATE TABLE uploads (
    id TEXT NOT NULL,
    conversation_id INTEGER NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
    uploader_id INTEGER REFERENCES agents(id) ON DELETE SET NULL,
    name TEXT NOT NULL,
    mime_type TEXT NOT NULL,
    size_bytes INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (id, conversation_id)
);
