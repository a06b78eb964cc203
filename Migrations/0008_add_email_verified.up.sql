-- When the user proved they own their email (POST /verify-email/); NULL until then, and again
-- after they change it. Accounts from before this migration start unverified.
ALTER TABLE "user" ADD COLUMN email_verified_at TIMESTAMPTZ;
