-- Convoroom schema (SQLite). Kept close to portable SQL: a Postgres port swaps
-- INTEGER PRIMARY KEY for BIGSERIAL/identity, the FTS5 tables for tsvector + GIN
-- indexes, and json text columns for jsonb (see docs/api.md).

CREATE TABLE teams (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE
);

CREATE TABLE agents (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    email TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL,
    availability TEXT NOT NULL DEFAULT 'online',
    avatar_url TEXT
);

CREATE TABLE agent_teams (
    agent_id INTEGER NOT NULL REFERENCES agents(id),
    team_id INTEGER NOT NULL REFERENCES teams(id),
    PRIMARY KEY (agent_id, team_id)
);

-- Session and API tokens; only the SHA-256 of the token is stored.
CREATE TABLE auth_tokens (
    id INTEGER PRIMARY KEY,
    agent_id INTEGER NOT NULL REFERENCES agents(id),
    kind TEXT NOT NULL,              -- session | api
    name TEXT,
    scope TEXT,                      -- agent | inbound (api tokens)
    token_hash TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    expires_at TEXT
);

CREATE TABLE labels (
    name TEXT PRIMARY KEY,
    color TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT ''
);

CREATE TABLE attribute_definitions (
    applies_to TEXT NOT NULL,
    key TEXT NOT NULL,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    options TEXT NOT NULL DEFAULT '[]',
    position INTEGER NOT NULL,
    PRIMARY KEY (applies_to, key)
);

CREATE TABLE contacts (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    phone TEXT,
    email TEXT,
    identifier TEXT NOT NULL,
    external_id TEXT,
    avatar_url TEXT,
    gender TEXT,
    city TEXT,
    country TEXT,
    known INTEGER NOT NULL,
    blocked INTEGER NOT NULL DEFAULT 0,
    blocked_changed_by INTEGER,
    blocked_changed_at TEXT,
    labels TEXT NOT NULL DEFAULT '[]',
    attributes TEXT NOT NULL DEFAULT '{}',
    created_at TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX contacts_name ON contacts(name, id);

-- How each channel knows a contact (phone number, handle, PSID...).
CREATE TABLE contact_channels (
    channel TEXT NOT NULL,
    identifier TEXT NOT NULL,
    contact_id INTEGER NOT NULL REFERENCES contacts(id),
    PRIMARY KEY (channel, identifier)
);
CREATE INDEX contact_channels_contact ON contact_channels(contact_id);

CREATE TABLE conversations (
    id INTEGER PRIMARY KEY,
    contact_id INTEGER NOT NULL REFERENCES contacts(id),
    channel TEXT NOT NULL,
    team_id INTEGER REFERENCES teams(id),
    assignee_id INTEGER REFERENCES agents(id),
    status TEXT NOT NULL,
    pipeline_stage TEXT,
    priority TEXT NOT NULL,
    direction TEXT NOT NULL,
    disposition TEXT,
    state TEXT,
    wrap_up_note TEXT,
    csat INTEGER,
    hangup_source TEXT,
    ticket_id TEXT,
    -- Denormalised copies of conversation_labels / conversation_collaborators so a
    -- list page is one query; the link tables serve filtering and visibility.
    labels TEXT NOT NULL DEFAULT '[]',
    collaborator_ids TEXT NOT NULL DEFAULT '[]',
    attributes TEXT NOT NULL DEFAULT '{}',
    session_info TEXT NOT NULL DEFAULT '{}',
    spam INTEGER NOT NULL DEFAULT 0,
    ai_enabled INTEGER NOT NULL DEFAULT 1,
    ai_changed_by INTEGER,
    ai_changed_at TEXT,
    ai_summary TEXT,
    ai_score INTEGER,
    ai_reviewed_at TEXT,
    ai_analyzer TEXT,
    created_at TEXT NOT NULL,
    first_response_at TEXT,
    waiting_since TEXT,
    last_activity_at TEXT NOT NULL,
    resolved_at TEXT,
    last_message_kind TEXT,
    last_message_text TEXT,
    last_message_at TEXT,
    -- Inbound messages up to this id count as read for agents without a read marker.
    default_read_upto INTEGER NOT NULL DEFAULT 0,
    version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX conversations_activity ON conversations(last_activity_at DESC, id DESC);
CREATE INDEX conversations_created ON conversations(created_at DESC, id DESC);
CREATE INDEX conversations_waiting ON conversations(COALESCE(waiting_since, '9999-12-31'), id);
CREATE INDEX conversations_status_activity ON conversations(status, last_activity_at DESC, id DESC);
CREATE INDEX conversations_team_activity ON conversations(team_id, last_activity_at DESC, id DESC);
CREATE INDEX conversations_assignee_activity ON conversations(assignee_id, last_activity_at DESC, id DESC);
CREATE INDEX conversations_contact ON conversations(contact_id, channel, created_at);
-- Covers the ownership counts (team, assignee, status) without touching the table.
CREATE INDEX conversations_counts ON conversations(status, team_id, assignee_id, channel);

CREATE TABLE conversation_labels (
    conversation_id INTEGER NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
    label TEXT NOT NULL,
    PRIMARY KEY (conversation_id, label)
);
CREATE INDEX conversation_labels_label ON conversation_labels(label, conversation_id);

CREATE TABLE conversation_collaborators (
    conversation_id INTEGER NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
    agent_id INTEGER NOT NULL REFERENCES agents(id),
    PRIMARY KEY (conversation_id, agent_id)
);
CREATE INDEX conversation_collaborators_agent ON conversation_collaborators(agent_id, conversation_id);

CREATE TABLE conversation_reads (
    conversation_id INTEGER NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
    agent_id INTEGER NOT NULL REFERENCES agents(id),
    last_read_message_id INTEGER NOT NULL,
    PRIMARY KEY (conversation_id, agent_id)
);

CREATE TABLE conversation_sessions (
    id INTEGER PRIMARY KEY,
    conversation_id INTEGER NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
    number INTEGER NOT NULL,
    started_at TEXT NOT NULL,
    ended_at TEXT,
    resolved_by INTEGER REFERENCES agents(id),
    message_count INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX conversation_sessions_conversation ON conversation_sessions(conversation_id, number);

CREATE TABLE messages (
    id INTEGER PRIMARY KEY,
    conversation_id INTEGER NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
    session_id INTEGER NOT NULL,
    kind TEXT NOT NULL,
    author_id INTEGER,
    body TEXT NOT NULL,
    attachments TEXT,
    call TEXT,
    delivery TEXT,
    client_id TEXT,
    external_id TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX messages_conversation ON messages(conversation_id, kind, id);
CREATE UNIQUE INDEX messages_client_id ON messages(conversation_id, client_id) WHERE client_id IS NOT NULL;
CREATE UNIQUE INDEX messages_external_id ON messages(external_id) WHERE external_id IS NOT NULL;

CREATE TABLE notes (
    id INTEGER PRIMARY KEY,
    conversation_id INTEGER NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
    author_id INTEGER NOT NULL REFERENCES agents(id),
    body TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX notes_conversation ON notes(conversation_id, id);

CREATE TABLE views (
    id INTEGER PRIMARY KEY,
    owner_id INTEGER NOT NULL REFERENCES agents(id),
    name TEXT NOT NULL,
    filter TEXT NOT NULL,
    columns TEXT NOT NULL,
    created_at TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX views_owner ON views(owner_id, id);

CREATE TABLE audit_events (
    id INTEGER PRIMARY KEY,
    conversation_id INTEGER,
    actor_id INTEGER,
    action TEXT NOT NULL,
    detail TEXT NOT NULL,
    at TEXT NOT NULL
);
CREATE INDEX audit_events_conversation ON audit_events(conversation_id, id);

-- The event log behind the live stream, with the access snapshot used to filter
-- it per agent (comma-wrapped id lists such as ',1,3,').
CREATE TABLE events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    payload TEXT NOT NULL,
    conversation_id INTEGER,
    team_ids TEXT NOT NULL DEFAULT ',',
    agent_ids TEXT NOT NULL DEFAULT ',',
    owner_id INTEGER,
    created_at TEXT NOT NULL
);

-- Full-text search (FTS5 is the SQLite-only part; Postgres uses tsvector).
CREATE VIRTUAL TABLE messages_fts USING fts5(
    body, content='messages', content_rowid='id', tokenize='unicode61 remove_diacritics 2'
);
CREATE VIRTUAL TABLE contacts_fts USING fts5(
    name, identifiers, tokenize='unicode61 remove_diacritics 2'
);
