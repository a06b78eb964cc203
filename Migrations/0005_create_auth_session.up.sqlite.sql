-- SQLite variant of 0005_create_auth_session.up.sql: UUIDs and timestamps (ISO 8601 UTC) as TEXT.
CREATE TABLE auth_session (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES "user" (id) ON DELETE CASCADE,
    created_at TEXT NOT NULL,
    last_used_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    revoked_at TEXT
);

CREATE INDEX ix_auth_session_user_id ON auth_session (user_id);

CREATE TABLE auth_refresh_token (
    token_hash TEXT PRIMARY KEY,
    session_id TEXT NOT NULL REFERENCES auth_session (id) ON DELETE CASCADE,
    issued_at TEXT NOT NULL,
    used_at TEXT
);

CREATE INDEX ix_auth_refresh_token_session_id ON auth_refresh_token (session_id);
