-- Emails are unique whatever their case (Bob@example.com and bob@example.com are one account) and
-- stored as given; logins look them up by lower(email), which this index serves on both databases.
--
-- If this fails with a unique violation, two accounts differ only in the case of their email.
-- Find them, and merge or rename one, before migrating:
--   SELECT lower(email), count(*) FROM "user" GROUP BY lower(email) HAVING count(*) > 1;

DROP INDEX ix_user_email;
CREATE UNIQUE INDEX ix_user_email ON "user" (lower(email));
