import Foundation
import Logging
import TestSupport
import Testing

@testable import TernDatabase

@Suite("PostgreSQL restart and outage", .timeLimit(.minutes(3)))
struct RestartTests {
    @Test("after the server restarts, the next queries succeed on fresh connections")
    func restart() async throws {
        try await PostgresTestServer.with { server in
            let database = Database(DatabaseConfiguration(url: try DatabaseURL(server.url), maxConnections: 3))
            try await database.closing { database in
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for _ in 0..<3 { group.addTask { _ = try await database.query("SELECT pg_sleep(0.05)") } }
                    try await group.waitForAll()
                }
                try await server.restart()
                for attempt in 0..<5 {
                    #expect(try await database.queryFirst("SELECT \(attempt) + 1", as: Int.self) == attempt + 1)
                }
            }
        }
    }

    @Test("an outage under load is logged once when it starts and once, with a count, when it ends")
    func outageLoggedOnce() async throws {
        let log = LogRecorder()
        try await PostgresTestServer.with { server in
            let database = Database(
                DatabaseConfiguration(url: try DatabaseURL(server.url), maxConnections: 4, connectTimeout: .seconds(1)),
                logger: log.logger)
            try await database.closing { database in
                _ = try await database.query("SELECT 1")
                try await server.stop()
                var failures = 0
                for _ in 0..<40 {
                    do { _ = try await database.query("SELECT 1") } catch { failures += 1 }
                }
                #expect(failures == 40)
                try await server.startAgain()
                _ = try await database.query("SELECT 1")
            }
        }
        let messages = log.messages
        #expect(messages.filter { $0 == "database unreachable" }.count == 1, "\(messages)")
        #expect(messages.filter { $0 == "database reachable again" }.count == 1, "\(messages)")
        let ended = try #require(log.entries.first { $0.message == "database reachable again" })
        #expect(ended.metadata["failures"] == "40")
    }
}
