-- Canned responses (issue #23): snippets agents insert into the composer. A personal one has
-- an owner; a shared one (kept by admins) has none, and a team_id when it is for one team.
-- A short code is unique among its owner's personal ones, and among the shared ones.
CREATE TABLE canned_responses (
    id INTEGER PRIMARY KEY,
    short_code TEXT NOT NULL,
    title TEXT,
    body TEXT NOT NULL,
    scope TEXT NOT NULL CHECK (scope IN ('personal', 'shared')),
    team_id INTEGER REFERENCES teams(id),
    owner_id INTEGER REFERENCES agents(id),
    created_at TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX canned_personal_code ON canned_responses(owner_id, short_code) WHERE scope = 'personal';
CREATE UNIQUE INDEX canned_shared_code ON canned_responses(short_code) WHERE scope = 'shared';
