-- Pipeline stages become a list admins keep (issue #21): as SQLite's 0019_pipeline_stages.sql.
CREATE TABLE pipeline_stages (
    key TEXT COLLATE "C" PRIMARY KEY,
    name TEXT NOT NULL,
    position BIGINT NOT NULL,
    archived BOOLEAN NOT NULL DEFAULT FALSE,
    version BIGINT NOT NULL DEFAULT 1
);
INSERT INTO pipeline_stages (key, name, position) VALUES
    ('in_progress', 'In Progress', 0),
    ('opportunity', 'Opportunity', 1),
    ('potential_customer', 'Potential Customer', 2),
    ('quote_request', 'Quote Request', 3),
    ('follow_up', 'Follow-up', 4),
    ('contacted', 'Contacted', 5),
    ('waiting_response', 'Waiting Response', 6),
    ('info_only', 'Info Only', 7),
    ('not_interested', 'Not Interested', 8),
    ('spam', 'Spam', 9);
