-- TOTP second factors (RFC 6238): the shared secret sealed with a key derived from SECRET_KEY, NULL
-- confirmed_at while the user has not yet proved their app has it, and the last time step used, so
-- that no code works twice.
CREATE TABLE auth_totp (
    user_id UUID PRIMARY KEY REFERENCES "user" (id) ON DELETE CASCADE,
    sealed_secret TEXT NOT NULL,
    confirmed_at TIMESTAMPTZ,
    last_step BIGINT
);

-- One-time recovery codes, for a lost authenticator: stored as SHA-256, each usable once.
CREATE TABLE auth_recovery_code (
    user_id UUID NOT NULL REFERENCES "user" (id) ON DELETE CASCADE,
    code_hash TEXT NOT NULL,
    used_at TIMESTAMPTZ,
    PRIMARY KEY (user_id, code_hash)
);
