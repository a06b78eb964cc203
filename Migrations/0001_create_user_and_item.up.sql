-- The sample domain's tables, laid out like the full-stack FastAPI template's (see docs in README).
-- PostgreSQL types here; 0001_create_user_and_item.up.sqlite.sql is the SQLite variant.

CREATE TABLE "user" (
    id UUID PRIMARY KEY,
    email VARCHAR(255) NOT NULL,
    is_active BOOLEAN NOT NULL DEFAULT TRUE,
    is_superuser BOOLEAN NOT NULL DEFAULT FALSE,
    full_name VARCHAR(255),
    hashed_password VARCHAR NOT NULL,
    created_at TIMESTAMPTZ
);

CREATE UNIQUE INDEX ix_user_email ON "user" (email);

CREATE TABLE item (
    id UUID PRIMARY KEY,
    title VARCHAR(255) NOT NULL,
    description VARCHAR(255),
    owner_id UUID NOT NULL REFERENCES "user" (id) ON DELETE CASCADE,
    created_at TIMESTAMPTZ
);

-- Lists are per owner, newest first.
CREATE INDEX ix_item_owner_id_created_at ON item (owner_id, created_at);
