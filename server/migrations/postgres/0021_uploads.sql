-- Files agents attach (issue #23): as SQLite's 0027_uploads.sql.
CREATE TABLE uploads (
    id TEXT COLLATE "C" NOT NULL,
    conversation_id BIGINT NOT NULL REFERENCES conversations(id) ON DELETE CASCADE DEFERRABLE,
    uploader_id BIGINT REFERENCES agents(id) ON DELETE SET NULL DEFERRABLE,
    name TEXT NOT NULL,
    mime_type TEXT COLLATE "C" NOT NULL,
    size_bytes BIGINT NOT NULL,
    created_at TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (id, conversation_id)
);
