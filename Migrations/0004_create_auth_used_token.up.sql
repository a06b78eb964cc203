-- Single-use tokens that cannot tell a second use by themselves (password-reset tokens issued
-- before tokens were typed and stamped): their ids once used, until they expire.
CREATE TABLE auth_used_token (
    id TEXT PRIMARY KEY,
    expires_at TIMESTAMPTZ NOT NULL
);
