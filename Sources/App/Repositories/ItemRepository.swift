import Foundation
import TernDatabase

/// The SQL of items: every statement on the `item` table, and nothing else.
struct ItemRepository: Sendable {
    private static let columns: SQL = "id, title, description, owner_id, created_at"

    func find(id: UUID, on database: some Queryable) async throws -> Item? {
        try await database.query(together: find(id: id))
    }

    /// The statement of ``find(id:on:)``, to run together with others in one round trip.
    func find(id: UUID) -> Statement<Item?> {
        .first("SELECT \(Self.columns) FROM item WHERE id = \(id)", as: Item.self)
    }

    /// A page of items, newest first, with the total count (every owner's items when `owner` is
    /// `nil`): `skip` rows in, or after `position`.
    func page(owner: UUID?, after position: PagePosition?, skip: Int, limit: Int, on database: some Queryable) async throws -> Page<Item> {
        try await database.queryPage(
            Self.columns, from: "item", filter: owner.map { (owner: UUID) -> SQL in "owner_id = \(owner)" }, after: position,
            skip: skip, limit: limit, as: Item.self)
    }

    /// Up to `limit` items after the item `after` in id order (from the first when `nil`): one
    /// batch of an export, which reads them all without an offset to skip or a transaction to hold.
    func batch(owner: UUID?, after: UUID?, limit: Int, on database: some Queryable) async throws -> [Item] {
        let conditions = [
            owner.map { (owner: UUID) -> SQL in "owner_id = \(owner)" }, after.map { (after: UUID) -> SQL in "id > \(after)" },
        ]
        .compactMap { $0 }
        let filter = conditions.isEmpty ? "" : "WHERE " + SQL.joined(conditions, separator: " AND ")
        return try await database.query("SELECT \(Self.columns) FROM item \(filter) ORDER BY id LIMIT \(limit)", as: Item.self)
    }

    func insert(_ item: Item, on database: some Queryable) async throws -> Item {
        try await database.query(together: insert(item))
    }

    /// The statement of ``insert(_:on:)``: the item as stored.
    func insert(_ item: Item) -> Statement<Item> {
        let sql: SQL = """
            INSERT INTO item (\(Self.columns))
            VALUES (\(item.id), \(item.title), \(item.description), \(item.ownerId), \(item.createdAt))
            RETURNING \(Self.columns)
            """
        return Statement(sql) { result in try result.decodeFirst(Item.self, of: sql) ?? item }
    }

    /// Writes the changed columns (`nil` leaves one as it is); `nil` when there is no such item.
    func update(id: UUID, title: String?, description: String??, on database: some Queryable) async throws -> Item? {
        var assignments: [SQL] = []
        if let title { assignments.append("title = \(title)") }
        if let description { assignments.append("description = \(description)") }
        guard !assignments.isEmpty else { return try await find(id: id, on: database) }
        return try await database.queryFirst(
            "UPDATE item SET " + SQL.joined(assignments, separator: ", ") + " WHERE id = \(id) RETURNING \(Self.columns)",
            as: Item.self)
    }

    /// The ids of a user's items.
    func ids(owner: UUID, on database: some Queryable) async throws -> [UUID] {
        try await database.query("SELECT id FROM item WHERE owner_id = \(owner)", as: UUID.self)
    }

    func delete(id: UUID, on database: some Queryable) async throws {
        try await database.execute("DELETE FROM item WHERE id = \(id)")
    }
}
