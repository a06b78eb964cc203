-- SQLite variant of 0011_create_item_attachment.up.sql: UUIDs and timestamps (ISO 8601 UTC) as TEXT.
CREATE TABLE item_attachment (
    id TEXT PRIMARY KEY,
    item_id TEXT NOT NULL REFERENCES item (id) ON DELETE CASCADE,
    filename VARCHAR(255) NOT NULL,
    content_type VARCHAR(255) NOT NULL,
    size INTEGER NOT NULL,
    created_at TEXT NOT NULL
);

CREATE INDEX ix_item_attachment_item_id ON item_attachment (item_id);
