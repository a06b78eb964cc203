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
