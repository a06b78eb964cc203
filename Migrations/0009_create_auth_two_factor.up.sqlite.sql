-- SQLite variant of 0009_create_auth_two_factor.up.sql: UUIDs and timestamps (ISO 8601 UTC) as TEXT.
CREATE TABLE auth_totp (
    user_id TEXT PRIMARY KEY REFERENCES "user" (id) ON DELETE CASCADE,
    sealed_secret TEXT NOT NULL,
    confirmed_at TEXT,
    last_step INTEGER
);

CREATE TABLE auth_recovery_code (
    user_id TEXT NOT NULL REFERENCES "user" (id) ON DELETE CASCADE,
    code_hash TEXT NOT NULL,
    used_at TEXT,
    PRIMARY KEY (user_id, code_hash)
);
