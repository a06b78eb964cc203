import Foundation
import TernDatabase

/// The SQL of items: every statement on the `item` table, and nothing else.
struct ItemRepository: Sendable {
    private static let columns: SQL = "id, title, description, owner_id, created_at"

    func find(id: UUID, on database: some Queryable) async throws -> Item? {
        try await database.queryFirst("SELECT \(Self.columns) FROM item WHERE id = \(id)", as: Item.self)
    }

    /// A page of items, newest first, with the total count (every owner's items when `owner` is
    /// `nil`). One statement: the count comes along with the rows (`count(*) OVER ()`), from the
    /// same snapshot; only a page past the end needs a second statement to count.
    func page(owner: UUID?, skip: Int, limit: Int, on database: some Queryable) async throws -> (items: [Item], count: Int) {
        let result = try await database.query(
            """
            SELECT \(Self.columns), count(*) OVER () AS total_count FROM item \(Self.ownedBy(owner))
            ORDER BY created_at DESC NULLS FIRST, id LIMIT \(limit) OFFSET \(skip)
            """)
        let items = try result.decode(Item.self)
        if let total = result.rows.first?["total_count"].flatMap(Int.init(databaseValue:)) { return (items, total) }
        return (items, skip == 0 ? 0 : try await count(owner: owner, on: database))
    }

    func count(owner: UUID?, on database: some Queryable) async throws -> Int {
        try await database.queryFirst("SELECT count(*) FROM item \(Self.ownedBy(owner))", as: Int.self) ?? 0
    }

    func insert(_ item: Item, on database: some Queryable) async throws -> Item {
        let inserted = try await database.queryFirst(
            """
            INSERT INTO item (id, title, description, owner_id, created_at)
            VALUES (\(item.id), \(item.title), \(item.description), \(item.ownerId), \(item.createdAt))
            RETURNING \(Self.columns)
            """, as: Item.self)
        return inserted ?? item
    }

    func update(_ item: Item, on database: some Queryable) async throws -> Item {
        let updated = try await database.queryFirst(
            """
            UPDATE item SET title = \(item.title), description = \(item.description) WHERE id = \(item.id)
            RETURNING \(Self.columns)
            """, as: Item.self)
        return updated ?? item
    }

    func delete(id: UUID, on database: some Queryable) async throws {
        try await database.execute("DELETE FROM item WHERE id = \(id)")
    }

    private static func ownedBy(_ owner: UUID?) -> SQL {
        owner.map { (owner: UUID) -> SQL in "WHERE owner_id = \(owner)" } ?? ""
    }
}
