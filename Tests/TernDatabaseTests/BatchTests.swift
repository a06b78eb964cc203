import TestSupport
import Testing

@testable import TernDatabase

private func makeCounter(_ database: Database) async throws {
    try await database.execute("CREATE TABLE counter (value INTEGER NOT NULL UNIQUE)")
}

@Suite("Statements run together", .timeLimit(.minutes(5)))
struct BatchTests {
    @Test("each statement's result becomes its own typed value, in order", arguments: Backend.allCases)
    func typedResults(backend: Backend) async throws {
        try await withTestDatabase(backend) { database in
            try await makeCounter(database)
            try await database.execute("INSERT INTO counter (value) VALUES (\(1)), (\(2)), (\(3))")
            let (all, first, missing, changed) = try await database.query(
                together: Statement.rows("SELECT value FROM counter WHERE value >= \(2) ORDER BY value", as: Int.self),
                Statement.first("SELECT value FROM counter WHERE value = \(1)", as: Int.self),
                Statement.first("SELECT value FROM counter WHERE value = \(9)", as: Int.self),
                Statement.execute("UPDATE counter SET value = value + \(10) WHERE value = \(3)"))
            #expect(all == [2, 3])
            #expect(first == 1)
            #expect(missing == nil)
            #expect(changed == 1)
            #expect(try await counterValues(database) == [1, 2, 13])
            #expect(try await database.query(batch: []).isEmpty)
        }
    }

    @Test("the same statement twice, and again once prepared, answers for its own values", arguments: Backend.allCases)
    func repeatedStatement(backend: Backend) async throws {
        try await withTestDatabase(backend) { database in
            for _ in 0..<2 {
                let (a, b, c) = try await database.query(
                    together: Statement.first("SELECT \(1) + 0 AS v", as: Int.self), Statement.first("SELECT \(2) * 1 AS v", as: Int.self),
                    Statement.first("SELECT \(3) + 0 AS v", as: Int.self))
                #expect([a, b, c] == [1, 2, 3])
            }
        }
    }

    @Test("without the statement cache (unnamed statements), a repeated statement still answers for its own values")
    func repeatedUnnamedStatement() async throws {
        try await TestDatabase.with(.postgres) { testDatabase in
            let database = Database(DatabaseConfiguration(url: testDatabase.url, maxConnections: 1, statementCacheCapacity: 0))
            try await database.closing { database in
                let (a, b, c) = try await database.query(
                    together: Statement.first("SELECT \(1) + 0 AS v", as: Int.self), Statement.first("SELECT \(2) * 1 AS v", as: Int.self),
                    Statement.first("SELECT \(3) + 0 AS v", as: Int.self))
                #expect([a, b, c] == [1, 2, 3])
            }
        }
    }

    @Test("outside a transaction they succeed or fail together, and nothing after a failure runs", arguments: Backend.allCases)
    func atomicOutsideTransaction(backend: Backend) async throws {
        try await withTestDatabase(backend) { database in
            try await makeCounter(database)
            let error = await #expect(throws: DatabaseError.self) {
                try await database.query(
                    together: Statement.execute("INSERT INTO counter (value) VALUES (\(1))"),
                    Statement.execute("INSERT INTO counter (value) VALUES (\(1))"),
                    Statement.execute("INSERT INTO counter (value) VALUES (\(2))"))
            }
            #expect(error?.kind == .uniqueViolation)
            #expect(try await counterValues(database) == [])
            // The connection is healthy afterwards, and a batch that succeeds stays.
            _ = try await database.query(
                together: Statement.execute("INSERT INTO counter (value) VALUES (\(1))"),
                Statement.execute("INSERT INTO counter (value) VALUES (\(2))"))
            #expect(try await counterValues(database) == [1, 2])
        }
    }

    @Test("inside a transaction they are part of it: its rollback undoes them", arguments: Backend.allCases)
    func insideTransaction(backend: Backend) async throws {
        try await withTestDatabase(backend) { database in
            try await makeCounter(database)
            struct Undo: Error {}
            await #expect(throws: Undo.self) {
                try await database.transaction { transaction in
                    _ = try await transaction.query(
                        together: Statement.execute("INSERT INTO counter (value) VALUES (\(1))"),
                        Statement.execute("INSERT INTO counter (value) VALUES (\(2))"))
                    #expect(try await counterValues(transaction) == [1, 2])
                    throw Undo()
                }
            }
            #expect(try await counterValues(database) == [])
        }
    }

    @Test("a unit of work's first batch opens its transaction; rollback undoes it, commit keeps it", arguments: Backend.allCases)
    func sessionUnitOfWork(backend: Backend) async throws {
        try await withTestDatabase(backend) { database in
            try await makeCounter(database)
            let undone = DatabaseSession(database: database, mode: .unitOfWork)
            let (inserted, seen) = try await undone.query(
                together: Statement.execute("INSERT INTO counter (value) VALUES (\(1))"),
                Statement.rows("SELECT value FROM counter", as: Int.self))
            #expect(inserted == 1 && seen == [1])
            await undone.rollback()
            #expect(try await counterValues(database) == [])

            let kept = DatabaseSession(database: database, mode: .unitOfWork)
            _ = try await kept.query(
                together: Statement.execute("INSERT INTO counter (value) VALUES (\(1))"),
                Statement.execute("INSERT INTO counter (value) VALUES (\(2))"))
            _ = try await kept.query(together: Statement.execute("INSERT INTO counter (value) VALUES (\(3))"))
            try await kept.commit()
            #expect(try await counterValues(database) == [1, 2, 3])
        }
    }

    @Test("a read-only transaction refuses a batch that writes", arguments: Backend.allCases)
    func readOnly(backend: Backend) async throws {
        try await withTestDatabase(backend) { database in
            try await makeCounter(database)
            let error = await #expect(throws: DatabaseError.self) {
                try await database.transaction(.readOnly) { transaction in
                    try await transaction.query(
                        together: Statement.rows("SELECT value FROM counter", as: Int.self),
                        Statement.execute("INSERT INTO counter (value) VALUES (\(1))"))
                }
            }
            #expect(error?.kind == .readOnlyTransaction)
            #expect(try await counterValues(database) == [])
        }
    }

    @Test("a round trip of several statements is traced as one BATCH span, named by their verb if they share one")
    func batchSpans() {
        let select = BoundStatement("SELECT value FROM counter WHERE value = \(1)", dialect: .postgres)
        let insert = BoundStatement("INSERT INTO counter (value) VALUES (\(2))", dialect: .postgres)
        let text = "SELECT value FROM counter WHERE value = $1"
        #expect(StatementSpan([select]) == StatementSpan(name: "SELECT", text: text, batchSize: nil))
        #expect(StatementSpan([select, select]) == StatementSpan(name: "BATCH SELECT", text: text + ";\n" + text, batchSize: 2))
        #expect(StatementSpan([select, insert]).name == "BATCH")
        #expect(StatementSpan([BoundStatement("\n", dialect: .sqlite)]).name == "SQL")
    }
}
