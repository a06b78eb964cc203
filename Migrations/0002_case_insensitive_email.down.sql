DROP INDEX ix_user_email;
CREATE UNIQUE INDEX ix_user_email ON "user" (email);
