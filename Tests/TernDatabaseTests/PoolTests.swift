import Foundation
import Logging
import Synchronization
import TestSupport
import Testing

@testable import TernDatabase

@Suite("Connection pool", .timeLimit(.minutes(5)))
struct PoolTests {
    @Test("an exhausted pool fails with poolExhausted after the timeout instead of hanging", arguments: Backend.allCases)
    func exhaustion(backend: Backend) async throws {
        try await withTestDatabase(backend, maxConnections: 1, acquireTimeout: .milliseconds(200)) { database in
            // A hang would fail the suite's time limit; the wait is the acquire timeout.
            let error = await #expect(throws: DatabaseError.self) {
                try await database.transaction(.readOnly) { _ in
                    try await database.transaction(.readOnly) { _ in }
                }
            }
            #expect(error?.kind == .poolExhausted)
            // The held connection came back: the pool works again.
            let one = try await database.queryFirst("SELECT 1", as: Int.self)
            #expect(one == 1)
        }
    }

    @Test("statistics: connections in use and idle, and tasks waiting, per pool", arguments: Backend.allCases)
    func statistics(backend: Backend) async throws {
        try await withTestDatabase(backend, maxConnections: 2, acquireTimeout: .seconds(60)) { database in
            let readers = backend == .sqlite ? "readers" : "connections"
            _ = try await database.queryFirst("SELECT 1", as: Int.self)
            let held = try await database.withConnection(.readOnly) { _ in
                database.poolStatistics.first { $0.pool == readers }
            }
            #expect(held?.inUse == 1 && held?.maxConnections == 2)
            let after = try #require(database.poolStatistics.first { $0.pool == readers })
            #expect(after.inUse == 0 && after.idle >= 1 && after.waiting == 0)
            if backend == .sqlite {
                #expect(database.poolStatistics.map(\.pool) == ["readers", "writer"])
                #expect(database.poolStatistics.last?.maxConnections == 1)
            }
        }
    }

    @Test("waiting tasks get connections as they are returned", arguments: Backend.allCases)
    func waiters(backend: Backend) async throws {
        // The point is the handoff; a generous timeout keeps a loaded machine from failing it as exhausted.
        try await withTestDatabase(backend, maxConnections: 2, acquireTimeout: .seconds(120)) { database in
            let results = try await withThrowingTaskGroup(of: Int.self) { group in
                for value in 0..<50 {
                    group.addTask { try await database.queryFirst("SELECT \(value) + 0 AS v", as: Int.self) ?? -1 }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(results.sorted() == Array(0..<50))
        }
    }

    @Test("connections opening a new SQLite file at once all open: switching it to WAL is retried when busy")
    func concurrentFirstOpens() throws {
        // Each round is a new file, which is when the switch to WAL takes an exclusive lock. Without the
        // retry, this failed on every run with "database is locked".
        for _ in 0..<20 {
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tern-wal-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: folder) }
            let factory = SQLiteConnectionFactory(
                path: folder.appendingPathComponent("new.sqlite").path, busyTimeout: .seconds(5), statementCacheCapacity: 4)
            let failures = Mutex<[String]>([])
            DispatchQueue.concurrentPerform(iterations: 6) { _ in
                do {
                    try factory.connect(role: .reader).close()
                } catch {
                    failures.withLock { $0.append("\(error)") }
                }
            }
            #expect(failures.withLock { $0 } == [])
        }
    }

    @Test("an unreachable PostgreSQL server is connectionFailed, and the URL's password stays out of it")
    func unreachable() async throws {
        let database = Database(
            DatabaseConfiguration(url: try DatabaseURL("postgres://user:hunter2@127.0.0.1:1/nowhere"), connectTimeout: .seconds(1)))
        let error = await #expect(throws: DatabaseError.self) { try await database.query("SELECT 1") }
        #expect(error?.kind == .connectionFailed)
        #expect(error.map { "\($0)" }?.contains("hunter2") == false)
        let waitError = await #expect(throws: DatabaseError.self) {
            try await database.waitUntilReachable(timeout: .milliseconds(700))
        }
        #expect(waitError?.message.contains("after") == true)
        #expect(waitError?.message.contains("hunter2") == false)
        await database.close()
    }

    @Test("exhaustion is logged once per incident, with the number of requests it failed")
    func exhaustionLoggedOnce() async throws {
        let log = LogRecorder()
        let testDatabase = try await TestDatabase.create(.sqlite)
        let database = Database(
            DatabaseConfiguration(url: testDatabase.url, maxConnections: 1, acquireTimeout: .milliseconds(20)), logger: log.logger)
        try await database.closing { database in
            try await database.transaction(.readOnly) { _ in
                for _ in 0..<5 {
                    await #expect(throws: DatabaseError.self) { try await database.transaction(.readOnly) { _ in } }
                }
            }
            // Back to normal a while after the last failure: the incident ends.
            try await Task.sleep(for: .milliseconds(1100))
            _ = try await database.transaction(.readOnly) { _ in }
        }
        await testDatabase.drop()
        #expect(log.messages.filter { $0.hasPrefix("database pool exhausted") }.count == 1, "\(log.messages)")
        let ended = try #require(log.entries.first { $0.message == "database pool keeping up again" })
        #expect(ended.metadata["failures"] == "5")
    }

    @Test("closing gives up on a connection that is never returned, after the shutdown timeout", arguments: Backend.allCases)
    func shutdownDeadline(backend: Backend) async throws {
        let log = LogRecorder()
        try await TestDatabase.with(backend) { testDatabase in
            let database = Database(
                DatabaseConfiguration(url: testDatabase.url, maxConnections: 2, shutdownTimeout: .milliseconds(200)),
                logger: log.logger)
            let (leaked, leak) = AsyncStream.makeStream(of: Void.self)
            let holder = Task {
                try await database.withConnection(.readOnly) { _ in
                    leak.yield()
                    // Never returns while the test runs: a leaked lease.
                    try await Task.sleep(for: .seconds(3600))
                }
            }
            for await _ in leaked { break }
            await database.close()
            #expect(log.messages.contains("closing the database while connections are still lent out"))
            holder.cancel()
            _ = await holder.result
        }
    }

    @Test("a closed database refuses work")
    func closed() async throws {
        let testDatabase = try await TestDatabase.create(.sqlite)
        let database = testDatabase.open()
        _ = try await database.query("SELECT 1")
        await database.close()
        let error = await #expect(throws: DatabaseError.self) { try await database.query("SELECT 1") }
        #expect(error?.kind == .closed)
        await testDatabase.drop()
    }
}
