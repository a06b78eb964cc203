-- Sign-in sessions (refresh-token families) and their refresh tokens, stored as SHA-256 only.
-- A session ends when revoked (logout, reuse of a rotated token, a password change or reset) or
-- expired; access tokens name their session, so they end with it.
CREATE TABLE auth_session (
    id UUID PRIMARY KEY,
    user_id UUID NOT NULL REFERENCES "user" (id) ON DELETE CASCADE,
    created_at TIMESTAMPTZ NOT NULL,
    last_used_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL,
    revoked_at TIMESTAMPTZ
);

-- Every authenticated request's user look-up (when not cached) lists the user's live sessions.
CREATE INDEX ix_auth_session_user_id ON auth_session (user_id);

CREATE TABLE auth_refresh_token (
    token_hash TEXT PRIMARY KEY,
    session_id UUID NOT NULL REFERENCES auth_session (id) ON DELETE CASCADE,
    issued_at TIMESTAMPTZ NOT NULL,
    used_at TIMESTAMPTZ
);

CREATE INDEX ix_auth_refresh_token_session_id ON auth_refresh_token (session_id);
