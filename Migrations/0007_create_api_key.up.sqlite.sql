-- SQLite variant of 0007_create_api_key.up.sql: UUIDs and timestamps (ISO 8601 UTC) as TEXT.
CREATE TABLE api_key (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES "user" (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    prefix TEXT NOT NULL UNIQUE,
    key_hash TEXT NOT NULL,
    scopes TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT,
    last_used_at TEXT,
    revoked_at TEXT
);

CREATE INDEX ix_api_key_user_id ON api_key (user_id);
