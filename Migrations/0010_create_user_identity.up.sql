-- Accounts at identity providers (OpenID Connect issuers, GitHub) linked to users, found by the
-- provider's own id of the account (`sub`), not by email: an email can change hands.
CREATE TABLE user_identity (
    provider TEXT NOT NULL,
    subject TEXT NOT NULL,
    user_id UUID NOT NULL REFERENCES "user" (id) ON DELETE CASCADE,
    -- The email the provider gave when the link was made, for the user to recognise the link by.
    email TEXT,
    created_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (provider, subject)
);

CREATE INDEX ix_user_identity_user_id ON user_identity (user_id);
