DROP INDEX ix_user_created_at_id;
DROP INDEX ix_item_created_at_id;
CREATE INDEX ix_item_owner_id_created_at ON item (owner_id, created_at);
DROP INDEX ix_item_owner_id_created_at_id;
