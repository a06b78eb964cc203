import TestSupport
import Testing

@testable import TernDatabase

private struct Rollback: Error {}

@Suite("Transactions", .timeLimit(.minutes(5)))
struct TransactionTests {
    @Test("commits when the closure returns, rolls back when it throws", arguments: Backend.allCases)
    func commitAndRollback(backend: Backend) async throws {
        try await withTestDatabase(backend) { database in
            try await database.execute("CREATE TABLE counter (value INTEGER NOT NULL)")
            let returned = try await database.transaction { transaction in
                try await transaction.execute("INSERT INTO counter (value) VALUES (\(1))")
                return "done"
            }
            #expect(returned == "done")
            await #expect(throws: Rollback.self) {
                try await database.transaction { transaction in
                    try await transaction.execute("INSERT INTO counter (value) VALUES (\(2))")
                    throw Rollback()
                }
            }
            #expect(try await counterValues(database) == [1])
        }
    }

    @Test("nested transactions are savepoints: the inner one rolls back alone", arguments: Backend.allCases)
    func savepoints(backend: Backend) async throws {
        try await withTestDatabase(backend) { database in
            try await database.execute("CREATE TABLE counter (value INTEGER NOT NULL)")
            try await database.transaction { outer in
                try await outer.execute("INSERT INTO counter (value) VALUES (\(1))")
                try? await outer.transaction { inner in
                    try await inner.execute("INSERT INTO counter (value) VALUES (\(2))")
                    throw Rollback()
                }
                try await outer.transaction { inner in
                    try await inner.execute("INSERT INTO counter (value) VALUES (\(3))")
                    _ = try await inner.transaction { innermost in
                        try await innermost.execute("INSERT INTO counter (value) VALUES (\(4))")
                    }
                }
            }
            #expect(try await counterValues(database) == [1, 3, 4])
        }
    }

    @Test("a failed statement inside a savepoint leaves the outer transaction usable", arguments: Backend.allCases)
    func recoverFromErrorInSavepoint(backend: Backend) async throws {
        try await withTestDatabase(backend) { database in
            try await database.execute("CREATE TABLE counter (value INTEGER NOT NULL UNIQUE)")
            try await database.transaction { transaction in
                try await transaction.execute("INSERT INTO counter (value) VALUES (\(1))")
                let error = await #expect(throws: DatabaseError.self) {
                    try await transaction.transaction { savepoint in
                        try await savepoint.execute("INSERT INTO counter (value) VALUES (\(1))")
                    }
                }
                #expect(error?.kind == .uniqueViolation)
                try await transaction.execute("INSERT INTO counter (value) VALUES (\(2))")
            }
            #expect(try await counterValues(database) == [1, 2])
        }
    }

    @Test("read-only transactions refuse writes with a typed error", arguments: Backend.allCases)
    func readOnly(backend: Backend) async throws {
        try await withTestDatabase(backend) { database in
            try await database.execute("CREATE TABLE counter (value INTEGER NOT NULL)")
            let error = await #expect(throws: DatabaseError.self) {
                try await database.transaction(.readOnly) { transaction in
                    _ = try await counterValues(transaction)
                    try await transaction.execute("INSERT INTO counter (value) VALUES (\(1))")
                }
            }
            #expect(error?.kind == .readOnlyTransaction)
            #expect(try await counterValues(database) == [])
        }
    }

    @Test("a transaction used after it ended throws instead of touching another request's connection")
    func useAfterEnd() async throws {
        try await withTestDatabase(.sqlite) { database in
            let escaped = try await database.transaction { $0 }
            let error = await #expect(throws: DatabaseError.self) { try await escaped.query("SELECT 1") }
            #expect(error?.kind == .closed)
        }
    }

    @Test("concurrent write transactions all commit, none fails as busy", arguments: Backend.allCases)
    func concurrentWriters(backend: Backend) async throws {
        // The point is that none fails as busy; a generous acquire timeout keeps a loaded machine from
        // failing them as exhausted instead.
        try await withTestDatabase(backend, maxConnections: 8, acquireTimeout: .seconds(120)) { database in
            try await database.execute("CREATE TABLE counter (value INTEGER NOT NULL)")
            try await withThrowingTaskGroup(of: Void.self) { group in
                for value in 1...60 {
                    group.addTask {
                        try await database.transaction { transaction in
                            _ = try await counterValues(transaction)
                            try await transaction.execute("INSERT INTO counter (value) VALUES (\(value))")
                        }
                    }
                    group.addTask {
                        _ = try await database.transaction(.readOnly) { try await counterValues($0) }
                    }
                }
                try await group.waitForAll()
            }
            #expect(try await counterValues(database) == Array(1...60))
        }
    }

    @Test("a transaction SQLite rolled back by itself is never continued statement by statement")
    func transactionRolledBackBySQLite() async throws {
        try await withTestDatabase(.sqlite) { database in
            try await database.execute("CREATE TABLE counter (value INTEGER NOT NULL)")
            // RAISE(ROLLBACK) ends the whole transaction, as SQLITE_FULL, IOERR, NOMEM or BUSY may.
            try await database.execute(
                "CREATE TRIGGER no_negatives BEFORE INSERT ON counter WHEN NEW.value < 0 BEGIN SELECT RAISE(ROLLBACK, 'negative'); END")

            let session = DatabaseSession(database: database, mode: .unitOfWork)
            try await session.execute("INSERT INTO counter (value) VALUES (\(1))")
            await #expect(throws: DatabaseError.self) { try await session.execute("INSERT INTO counter (value) VALUES (\(-1))") }
            // Without the transaction, this would be committed on its own at once.
            await #expect(throws: DatabaseError.self) { try await session.execute("INSERT INTO counter (value) VALUES (\(2))") }
            await #expect(throws: DatabaseError.self) { try await session.commit() }
            #expect(try await counterValues(database) == [])

            await #expect(throws: DatabaseError.self) {
                try await database.transaction { transaction in
                    try await transaction.execute("INSERT INTO counter (value) VALUES (\(3))")
                    _ = try? await transaction.execute("INSERT INTO counter (value) VALUES (\(-1))")
                    try await transaction.execute("INSERT INTO counter (value) VALUES (\(4))")
                }
            }
            #expect(try await counterValues(database) == [])
            // The writer connection is fine afterwards.
            try await database.transaction { try await $0.execute("INSERT INTO counter (value) VALUES (\(5))") }
            #expect(try await counterValues(database) == [5])
        }
    }

    @Test("statements outside transactions are routed by what they do", arguments: Backend.allCases)
    func autocommitRouting(backend: Backend) async throws {
        try await withTestDatabase(backend, maxConnections: 4, acquireTimeout: .seconds(120)) { database in
            try await database.execute("CREATE TABLE counter (value INTEGER NOT NULL)")
            try await withThrowingTaskGroup(of: Void.self) { group in
                for value in 1...40 {
                    group.addTask { try await database.execute("INSERT INTO counter (value) VALUES (\(value))") }
                    group.addTask { _ = try await counterValues(database) }
                }
                try await group.waitForAll()
            }
            #expect(try await counterValues(database).count == 40)
        }
    }
}
