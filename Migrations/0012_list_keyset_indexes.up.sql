-- Newest-first lists (users, items) order by created_at DESC NULLS FIRST, id DESC and page through
-- keyset cursors: these indexes serve both, read backwards, so a deep page is a seek rather than an
-- OFFSET that reads every row before it.
CREATE INDEX ix_item_owner_id_created_at_id ON item (owner_id, created_at, id);
DROP INDEX ix_item_owner_id_created_at;
CREATE INDEX ix_item_created_at_id ON item (created_at, id);
CREATE INDEX ix_user_created_at_id ON "user" (created_at, id);
