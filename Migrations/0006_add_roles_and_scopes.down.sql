ALTER TABLE auth_session DROP COLUMN scopes;
ALTER TABLE "user" DROP COLUMN role;
