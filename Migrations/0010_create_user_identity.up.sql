-- Accounts at identity providers (OpenID Connect issuers, GitHub) linked to users, found by the
-- issuer and its own id of the account (`sub`), not by email: an email can change hands, and a
-- subject is unique only within its issuer.
CREATE TABLE user_identity (
    issuer TEXT NOT NULL,
    subject TEXT NOT NULL,
    user_id UUID NOT NULL REFERENCES "user" (id) ON DELETE CASCADE,
    -- The provider's name in the settings, and the email it gave when the link was made: for the
    -- user to recognise the link by.
    provider TEXT NOT NULL,
    email TEXT,
    created_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (issuer, subject)
);

CREATE INDEX ix_user_identity_user_id ON user_identity (user_id);
