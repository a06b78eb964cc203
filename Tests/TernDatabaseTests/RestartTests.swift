import Foundation
import TestSupport
import Testing

@testable import TernDatabase

@Suite("PostgreSQL restart")
struct RestartTests {
    @Test("after the server restarts, the next queries succeed on fresh connections")
    func restart() async throws {
        let server = try RestartablePostgres()
        let database = Database(DatabaseConfiguration(url: try DatabaseURL(server.url), maxConnections: 3))
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<3 { group.addTask { _ = try await database.query("SELECT pg_sleep(0.05)") } }
            try await group.waitForAll()
        }
        try await server.restart()
        for attempt in 0..<5 {
            #expect(try await database.queryFirst("SELECT \(attempt) + 1", as: Int.self) == attempt + 1)
        }
        await database.close()
    }
}
