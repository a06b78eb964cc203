ALTER TABLE "user" DROP COLUMN email_verified_at;
