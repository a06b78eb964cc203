-- Files attached to items: the metadata here, the content on disk under UPLOADS_DIR, named by the
-- attachment's id (never by the client's filename). Rows go with their item; the service deletes the
-- files once the deletion commits.
CREATE TABLE item_attachment (
    id UUID PRIMARY KEY,
    item_id UUID NOT NULL REFERENCES item (id) ON DELETE CASCADE,
    filename VARCHAR(255) NOT NULL,
    content_type VARCHAR(255) NOT NULL,
    size BIGINT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);

CREATE INDEX ix_item_attachment_item_id ON item_attachment (item_id);
