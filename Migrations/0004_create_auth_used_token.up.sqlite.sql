-- SQLite variant of 0004_create_auth_used_token.up.sql: timestamps (ISO 8601 UTC) as TEXT.
CREATE TABLE auth_used_token (
    id TEXT PRIMARY KEY,
    expires_at TEXT NOT NULL
);
