import Foundation
import TernDatabase

/// The SQL of attachments: every statement on the `item_attachment` table, and nothing else.
struct AttachmentRepository: Sendable {
    private static let columns: SQL = "id, item_id, filename, content_type, size, created_at"

    func insert(_ attachment: Attachment, on database: some Queryable) async throws {
        _ = try await database.execute(
            """
            INSERT INTO item_attachment (\(Self.columns))
            VALUES (\(attachment.id), \(attachment.itemId), \(attachment.filename), \(attachment.contentType), \(attachment.size),
                    \(attachment.createdAt))
            """)
    }

    func list(item: UUID, on database: some Queryable) async throws -> [Attachment] {
        try await database.query(
            "SELECT \(Self.columns) FROM item_attachment WHERE item_id = \(item) ORDER BY created_at, id", as: Attachment.self)
    }

    func find(id: UUID, item: UUID, on database: some Queryable) async throws -> Attachment? {
        try await database.queryFirst(
            "SELECT \(Self.columns) FROM item_attachment WHERE id = \(id) AND item_id = \(item)", as: Attachment.self)
    }

    /// Deletes the item's attachment; `false` when it has no such attachment.
    func delete(id: UUID, item: UUID, on database: some Queryable) async throws -> Bool {
        try await database.execute("DELETE FROM item_attachment WHERE id = \(id) AND item_id = \(item)") > 0
    }

    /// The ids of an item's attachments, which its deletion takes with it.
    func ids(item: UUID, on database: some Queryable) async throws -> [UUID] {
        try await database.query("SELECT id FROM item_attachment WHERE item_id = \(item)", as: UUID.self)
    }

    /// The ids of the attachments of every item of `owner`, which the owner's deletion takes with it.
    func ids(owner: UUID, on database: some Queryable) async throws -> [UUID] {
        try await database.query(
            "SELECT a.id FROM item_attachment a JOIN item i ON i.id = a.item_id WHERE i.owner_id = \(owner)", as: UUID.self)
    }
}
