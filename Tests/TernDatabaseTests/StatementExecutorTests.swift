import TestSupport
import Testing

@testable import TernDatabase

/// Tasks that prefer a PostgreSQL database's `statementExecutor` run on its I/O threads: their
/// statements are sent from there and their answers resume them there.
@Suite("Tasks on the database's I/O threads", .timeLimit(.minutes(5)))
struct StatementExecutorTests {
    @Test("SQLite has no I/O threads to offer")
    func noneOnSQLite() async throws {
        try await withTestDatabase(.sqlite) { database in
            #expect(database.statementExecutor == nil)
        }
    }

    @Test("a task that prefers the executor runs on an I/O thread before and after its statements")
    func runsOnTheIOThread() async throws {
        try await withTestDatabase(.postgres) { database in
            let executor = try #require(database.statementExecutor)
            #expect(database.ioLoops?.current == nil)
            let onLoop = try await withTaskExecutorPreference(executor) {
                let before = database.ioLoops?.current != nil
                let one = try await database.queryFirst("SELECT \(1) AS v", as: Int.self)
                let after = database.ioLoops?.current != nil
                #expect(one == 1)
                return [before, after]
            }
            #expect(onLoop == [true, true])
        }
    }

    @Test("many tasks on the I/O threads, and others not, each get their own answers", arguments: [2, 16])
    func manyTasksMixed(connections: Int) async throws {
        // A generous wait for a connection: the test is about answers, and the whole suite shares the cores.
        try await withTestDatabase(.postgres, maxConnections: connections, acquireTimeout: .seconds(60)) { database in
            try await database.execute("CREATE TABLE counter (value INTEGER NOT NULL UNIQUE)")
            try await withThrowingTaskGroup(of: Void.self) { group in
                for worker in 0..<12 {
                    // Every other task on the I/O threads: statements of both kinds share connections.
                    let executor = worker.isMultiple(of: 2) ? database.statementExecutor : nil
                    group.addTask(executorPreference: executor) {
                        for step in 0..<10 {
                            let value = worker * 100 + step
                            #expect(try await database.queryFirst("SELECT \(value) + 0 AS v", as: Int.self) == value)
                            if step.isMultiple(of: 5) {
                                try await database.transaction { transaction in
                                    try await transaction.execute("INSERT INTO counter (value) VALUES (\(value))")
                                    let (mine, count) = try await transaction.query(
                                        together: Statement.first("SELECT value FROM counter WHERE value = \(value)", as: Int.self),
                                        Statement.first("SELECT count(*) AS n FROM counter WHERE value = \(value)", as: Int.self))
                                    #expect(mine == value && count == 1)
                                }
                            }
                        }
                    }
                }
                try await group.waitForAll()
            }
            #expect(try await counterValues(database).count == 12 * 2)
        }
    }

    @Test("a failed statement on an I/O thread throws there and leaves the connection usable")
    func failureOnTheIOThread() async throws {
        try await withTestDatabase(.postgres, maxConnections: 1) { database in
            try await withTaskExecutorPreference(database.statementExecutor) { () async throws in
                await #expect(throws: DatabaseError.self) { try await database.execute("SELECT * FROM no_such_table") }
                #expect(try await database.queryFirst("SELECT \(7) AS v", as: Int.self) == 7)
            }
        }
    }

    /// Were the closed loop to drop the jobs of tasks that prefer it, this test would hang until the
    /// suite's time limit fails it: the task resumes twice after its loop has exited.
    @Test("a task still preferring the executor after the database closed goes on elsewhere")
    func afterClose() async throws {
        let (wasOnLoop, value) = try await TestDatabase.with(.postgres) { testDatabase in
            let database = testDatabase.open(maxConnections: 2)
            return try await withTaskExecutorPreference(database.statementExecutor) {
                let value = try await database.queryFirst("SELECT \(5) AS v", as: Int.self)
                let wasOnLoop = database.ioLoops?.current != nil
                await database.close()
                try await Task.sleep(for: .milliseconds(20))
                return (wasOnLoop, value)
            }
        }
        #expect(wasOnLoop)
        #expect(value == 5)
    }
}
