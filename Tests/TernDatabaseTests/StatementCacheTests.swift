import Foundation
import TestSupport
import Testing

@testable import TernDatabase

/// The prepared statements of one PostgreSQL connection, as the server sees them.
private func preparedOnServer(_ connection: DatabaseConnection) async throws -> Int {
    try await connection.queryFirst("SELECT count(*) FROM pg_prepared_statements", as: Int.self) ?? -1
}

@Suite("PostgreSQL prepared statements", .timeLimit(.minutes(5)))
struct StatementCacheTests {
    private func withPool(
        cacheSize: Int, planCacheMode: PostgresPlanCacheMode = .forceGenericPlan, _ body: (Database) async throws -> Void
    ) async throws {
        try await TestDatabase.with(.postgres) { testDatabase in
            let database = Database(
                DatabaseConfiguration(
                    url: testDatabase.url, maxConnections: 1, statementCacheCapacity: cacheSize, planCacheMode: planCacheMode))
            try await database.closing(body)
        }
    }

    @Test(
        "a prepared statement is planned once for any values, unless the configuration leaves it to PostgreSQL",
        arguments: [PostgresPlanCacheMode.forceGenericPlan, .auto])
    func planning(mode: PostgresPlanCacheMode) async throws {
        try await withPool(cacheSize: 10, planCacheMode: mode) { database in
            try await database.withConnection { connection in
                for value in 0..<3 { _ = try await connection.query("SELECT \(value) + 1 AS planned") }
                let plans = try await connection.queryFirst(
                    "SELECT generic_plans, custom_plans FROM pg_prepared_statements WHERE statement LIKE '%AS planned'",
                    as: Plans.self)
                // PostgreSQL plans for the values in a statement's first five runs when left to choose.
                let expected = mode == .auto ? Plans(genericPlans: 0, customPlans: 3) : Plans(genericPlans: 3, customPlans: 0)
                #expect(plans == expected)
                #expect(try await connection.queryFirst("SHOW plan_cache_mode", as: String.self) == mode.rawValue)
            }
        }
    }

    private struct Plans: Decodable, Equatable {
        let genericPlans: Int
        let customPlans: Int
    }

    @Test("a statement is prepared once per connection and reused")
    func reuse() async throws {
        try await withPool(cacheSize: 10) { database in
            try await database.withConnection { connection in
                for value in 0..<5 { _ = try await connection.query("SELECT \(value) + 1 AS v") }
                // The SELECT above and the count itself.
                #expect(try await preparedOnServer(connection) == 2)
            }
        }
    }

    @Test("past the capacity the least recently used statement is dropped, on the server too")
    func eviction() async throws {
        try await withPool(cacheSize: 2) { database in
            try await database.withConnection { connection in
                _ = try await connection.query("SELECT 1 AS a")
                _ = try await connection.query("SELECT 2 AS b")
                _ = try await connection.query("SELECT 3 AS c")
                // The count statement is prepared in the round trip that runs it and evicts one more
                // once it has run; counted again, two are left: the third SELECT and the count.
                _ = try await preparedOnServer(connection)
                #expect(try await preparedOnServer(connection) == 2)
            }
        }
    }

    @Test("a capacity of 0 prepares nothing by name (PgBouncer in transaction mode)")
    func disabled() async throws {
        try await withPool(cacheSize: 0) { database in
            try await database.withConnection { connection in
                for value in 0..<3 { _ = try await connection.query("SELECT \(value) AS v") }
                #expect(try await preparedOnServer(connection) == 0)
            }
        }
    }

    @Test("a statement evicted in a failed transaction is dropped on the server once it ends")
    func evictionInFailedTransaction() async throws {
        try await withPool(cacheSize: 1) { database in
            try await database.execute("CREATE TABLE thing (id INTEGER PRIMARY KEY)")
            try await database.execute("INSERT INTO thing VALUES (1)")
            // The session's first statement is new (prepared with its BEGIN, evicting the cached one)
            // and fails, leaving the transaction failed when the evicted statement is to be dropped.
            let session = DatabaseSession(database: database, mode: .unitOfWork)
            await #expect(throws: DatabaseError.self) { try await session.execute("INSERT INTO thing VALUES (\(1))") }
            await session.rollback()
            try await database.withConnection { connection in
                // Only the count statement itself: nothing left behind. (Its first run, prepared in
                // the same round trip, still sees the INSERT it evicts once it has run.)
                _ = try await preparedOnServer(connection)
                #expect(try await preparedOnServer(connection) == 1)
            }
        }
    }

    @Test("a prepared statement's later results have its columns, names and types, whatever their rows")
    func columnsOfLaterResults() async throws {
        try await withPool(cacheSize: 10) { database in
            try await database.execute("CREATE TABLE thing (id INTEGER, name TEXT, size DOUBLE PRECISION)")
            try await database.execute("INSERT INTO thing VALUES (1, 'one', 1.5), (2, NULL, NULL)")
            func select(_ id: Int) async throws -> QueryResult {
                try await database.query("SELECT id, name AS label, size FROM thing WHERE id = \(id)")
            }
            let none = try await select(0)
            #expect(none.columns == ["id", "label", "size"] && none.rows.isEmpty)
            for _ in 0..<2 {
                let one = try await select(1)
                #expect(one.columns == ["id", "label", "size"])
                #expect(one.rows.first.map { [$0[0], $0[1], $0[2]] } == [.integer(1), .text("one"), .double(1.5)])
                let two = try await select(2)
                #expect(two.rows.first.map { [$0[0], $0[1], $0[2]] } == [.integer(2), .null, .null])
            }
            // Another statement on the same connection has its own columns.
            #expect(try await database.query("SELECT size, id FROM thing WHERE id = \(1)").columns == ["size", "id"])
        }
    }

    @Test("a table changed under a prepared statement: retried outside transactions, retryable inside")
    func changedTable() async throws {
        try await withPool(cacheSize: 10) { database in
            try await database.execute("CREATE TABLE thing (id INTEGER)")
            try await database.execute("INSERT INTO thing VALUES (1)")
            _ = try await database.query("SELECT * FROM thing")

            try await database.execute("ALTER TABLE thing ADD COLUMN name TEXT")
            let error = await #expect(throws: DatabaseError.self) {
                try await database.transaction { transaction in
                    _ = try await transaction.query("SELECT 1")
                    _ = try await transaction.query("SELECT * FROM thing")
                }
            }
            #expect(error?.kind == .serializationFailure)
            #expect(error?.isTransient == true)
            // The connection recovered: the same statement works again, in or out of a transaction.
            let columns = try await database.transaction { try await $0.query("SELECT * FROM thing").columns }
            #expect(columns == ["id", "name"])

            try await database.execute("ALTER TABLE thing ADD COLUMN size INTEGER")
            #expect(try await database.query("SELECT * FROM thing").columns == ["id", "name", "size"])

            // As a unit of work's first statement (sent with its BEGIN), nothing had happened yet: retried.
            try await database.execute("ALTER TABLE thing ADD COLUMN colour TEXT")
            let session = DatabaseSession(database: database, mode: .unitOfWork)
            #expect(try await session.query("SELECT * FROM thing").columns.count == 4)
            try await session.commit()
        }
    }
}
