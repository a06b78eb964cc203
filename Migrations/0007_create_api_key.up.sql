-- API keys: created by a user, shown once, stored as SHA-256 only, found by their prefix (the
-- `tern_<prefix>_` part of the key, which is not secret), limited to scopes, revocable.
CREATE TABLE api_key (
    id UUID PRIMARY KEY,
    user_id UUID NOT NULL REFERENCES "user" (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    prefix TEXT NOT NULL UNIQUE,
    key_hash TEXT NOT NULL,
    -- Space-separated.
    scopes TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ,
    last_used_at TIMESTAMPTZ,
    revoked_at TIMESTAMPTZ
);

CREATE INDEX ix_api_key_user_id ON api_key (user_id);
