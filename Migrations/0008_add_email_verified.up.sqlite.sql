-- SQLite variant of 0008_add_email_verified.up.sql: timestamps (ISO 8601 UTC) as TEXT.
ALTER TABLE "user" ADD COLUMN email_verified_at TEXT;
