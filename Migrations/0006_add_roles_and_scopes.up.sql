-- Roles grant scopes (Sources/App/Models/Role.swift): 'user' or 'moderator'. A superuser
-- (is_superuser) is granted every scope whatever the role.
ALTER TABLE "user" ADD COLUMN role TEXT NOT NULL DEFAULT 'user' CHECK (role IN ('user', 'moderator'));

-- The scopes a sign-in asked for, space-separated, which its access tokens are limited to; NULL
-- when it asked for none (then only the user's role limits them).
ALTER TABLE auth_session ADD COLUMN scopes TEXT;
