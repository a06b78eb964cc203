-- SQLite variant of 0010_create_user_identity.up.sql: UUIDs and timestamps (ISO 8601 UTC) as TEXT.
CREATE TABLE user_identity (
    issuer TEXT NOT NULL,
    subject TEXT NOT NULL,
    user_id TEXT NOT NULL REFERENCES "user" (id) ON DELETE CASCADE,
    provider TEXT NOT NULL,
    email TEXT,
    created_at TEXT NOT NULL,
    PRIMARY KEY (issuer, subject)
);

CREATE INDEX ix_user_identity_user_id ON user_identity (user_id);
