import Synchronization
import TestSupport
import Testing

@testable import TernDatabase

@Suite("Database sessions", .timeLimit(.minutes(5)))
struct DatabaseSessionTests {
    private func values(_ database: Database) async throws -> [Int] {
        try await database.query("SELECT value FROM counter ORDER BY value", as: Int.self)
    }

    @Test("a unit of work commits its statements together, or none of them", arguments: Backend.allCases)
    func unitOfWork(backend: Backend) async throws {
        try await withTestDatabase(backend, maxConnections: 2) { database in
            try await database.execute("CREATE TABLE counter (value INTEGER NOT NULL UNIQUE)")
            let kept = DatabaseSession(database: database, mode: .unitOfWork)
            try await kept.execute("INSERT INTO counter (value) VALUES (\(1))")
            try await kept.execute("INSERT INTO counter (value) VALUES (\(2))")
            try await kept.commit()

            let dropped = DatabaseSession(database: database, mode: .unitOfWork)
            try await dropped.execute("INSERT INTO counter (value) VALUES (\(3))")
            await dropped.rollback()
            #expect(try await values(database) == [1, 2])
            await #expect(throws: DatabaseError.self) { try await dropped.execute("SELECT 1") }
        }
    }

    @Test("a first statement that fails leaves nothing behind and the connection usable", arguments: Backend.allCases)
    func failingFirstStatement(backend: Backend) async throws {
        try await withTestDatabase(backend, maxConnections: 1) { database in
            try await database.execute("CREATE TABLE counter (value INTEGER NOT NULL UNIQUE)")
            try await database.execute("INSERT INTO counter (value) VALUES (\(1))")
            for statement: SQL in ["INSERT INTO counter (value) VALUES (\(1))", "INSERT INTO no_such_table VALUES (\(1))"] {
                let session = DatabaseSession(database: database, mode: .unitOfWork)
                await #expect(throws: DatabaseError.self) { try await session.execute(statement) }
                await session.rollback()
            }
            let session = DatabaseSession(database: database, mode: .unitOfWork)
            try await session.execute("INSERT INTO counter (value) VALUES (\(2))")
            try await session.commit()
            #expect(try await values(database) == [1, 2])
        }
    }

    @Test(
        "commit(with:) runs a unit of work's only statement alone, in one round trip, then ends the session as committed",
        arguments: Backend.allCases)
    func commitWithOnlyStatement(backend: Backend) async throws {
        try await withTestDatabase(backend, maxConnections: 2) { database in
            try await database.execute("CREATE TABLE counter (value INTEGER NOT NULL UNIQUE)")
            let session = DatabaseSession(database: database, mode: .unitOfWork)
            let actions = Counter()
            await session.afterCommit { actions.increment() }
            let timings = QueryTimings()
            let inserted = try await QueryTimings.$current.withValue(timings) {
                try await session.commit(with: .first("INSERT INTO counter (value) VALUES (\(1)) RETURNING value", as: Int.self))
            }
            #expect(inserted == 1)
            // No BEGIN and no COMMIT. (SQLite has no round trips, and a statement's first write is
            // first offered to a reader, which refuses it.)
            if backend == .postgres { #expect(timings.statements == 1 && timings.roundTrips == 1) }
            #expect(actions.value == 1, "run once committed")
            #expect(try await values(database) == [1])
            await #expect(throws: DatabaseError.self) { try await session.execute("SELECT 1") }
            // The request's own commit afterwards has nothing left to do.
            try await session.commit()
            #expect(actions.value == 1)
        }
    }

    @Test("QueryTimings counts a unit of work's every round trip: BEGIN with its first statements, savepoints, COMMIT")
    func timingsCountTransactionControl() async throws {
        try await withTestDatabase(.postgres, maxConnections: 2) { database in
            try await database.execute("CREATE TABLE counter (value INTEGER NOT NULL UNIQUE)")
            let session = DatabaseSession(database: database, mode: .unitOfWork)
            let timings = QueryTimings()
            try await QueryTimings.$current.withValue(timings) {
                try await session.execute("INSERT INTO counter (value) VALUES (\(1))")  // BEGIN, INSERT
                await #expect(throws: DatabaseError.self) {
                    try await session.transaction { savepoint in  // SAVEPOINT
                        try await savepoint.execute("INSERT INTO counter (value) VALUES (\(1))")  // refused
                    }  // ROLLBACK TO SAVEPOINT; RELEASE SAVEPOINT
                }
                try await session.commit()  // COMMIT
            }
            #expect(timings.statements == 7 && timings.roundTrips == 5, "\(timings.statements) in \(timings.roundTrips)")
            #expect(try await values(database) == [1])
        }
    }

    @Test("commit(with:) after earlier statements commits them all; a failing one commits nothing", arguments: Backend.allCases)
    func commitWithAfterOthers(backend: Backend) async throws {
        try await withTestDatabase(backend, maxConnections: 2) { database in
            try await database.execute("CREATE TABLE counter (value INTEGER NOT NULL UNIQUE)")
            let kept = DatabaseSession(database: database, mode: .unitOfWork)
            try await kept.execute("INSERT INTO counter (value) VALUES (\(1))")
            try await kept.commit(with: .execute("INSERT INTO counter (value) VALUES (\(2))"))
            #expect(try await values(database) == [1, 2])

            let actions = Counter()
            let failedAlone = DatabaseSession(database: database, mode: .unitOfWork)
            await failedAlone.afterCommit { actions.increment() }
            await #expect(throws: DatabaseError.self) {
                try await failedAlone.commit(with: .execute("INSERT INTO counter (value) VALUES (\(1))"))
            }
            await failedAlone.rollback()
            let failedAfter = DatabaseSession(database: database, mode: .unitOfWork)
            await failedAfter.afterCommit { actions.increment() }
            try await failedAfter.execute("INSERT INTO counter (value) VALUES (\(3))")
            await #expect(throws: DatabaseError.self) {
                try await failedAfter.commit(with: .execute("INSERT INTO counter (value) VALUES (\(2))"))
            }
            await failedAfter.rollback()
            #expect(try await values(database) == [1, 2])
            #expect(actions.value == 0)
        }
    }

    @Test("a session that never ran a statement costs no connection", arguments: Backend.allCases)
    func lazy(backend: Backend) async throws {
        try await withTestDatabase(backend, maxConnections: 1, acquireTimeout: .milliseconds(300)) { database in
            let idle = DatabaseSession(database: database, mode: .unitOfWork)
            #expect(try await database.queryFirst("SELECT 1", as: Int.self) == 1)
            try await idle.commit()
        }
    }

    @Test("in autocommit mode each statement stands alone; transaction() groups them", arguments: Backend.allCases)
    func autocommit(backend: Backend) async throws {
        try await withTestDatabase(backend) { database in
            try await database.execute("CREATE TABLE counter (value INTEGER NOT NULL UNIQUE)")
            let session = DatabaseSession(database: database, mode: .autocommit)
            try await session.execute("INSERT INTO counter (value) VALUES (\(1))")
            await #expect(throws: DatabaseError.self) {
                try await session.transaction { transaction in
                    try await transaction.execute("INSERT INTO counter (value) VALUES (\(2))")
                    try await transaction.execute("INSERT INTO counter (value) VALUES (\(1))")
                }
            }
            await session.rollback()
            #expect(try await values(database) == [1])
        }
    }
}

/// Counts calls from after-commit actions.
private final class Counter: Sendable {
    private let count = Mutex(0)
    var value: Int { count.withLock { $0 } }
    func increment() { count.withLock { $0 += 1 } }
}
