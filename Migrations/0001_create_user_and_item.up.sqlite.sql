-- SQLite variant of 0001_create_user_and_item.up.sql: UUIDs and timestamps (ISO 8601 UTC) as TEXT,
-- booleans as INTEGER 0/1.

CREATE TABLE "user" (
    id TEXT PRIMARY KEY,
    email VARCHAR(255) NOT NULL,
    is_active INTEGER NOT NULL DEFAULT 1,
    is_superuser INTEGER NOT NULL DEFAULT 0,
    full_name VARCHAR(255),
    hashed_password TEXT NOT NULL,
    created_at TEXT
);

CREATE UNIQUE INDEX ix_user_email ON "user" (email);

CREATE TABLE item (
    id TEXT PRIMARY KEY,
    title VARCHAR(255) NOT NULL,
    description VARCHAR(255),
    owner_id TEXT NOT NULL REFERENCES "user" (id) ON DELETE CASCADE,
    created_at TEXT
);

-- Lists are per owner, newest first.
CREATE INDEX ix_item_owner_id_created_at ON item (owner_id, created_at);
