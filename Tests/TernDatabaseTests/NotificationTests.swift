import Foundation
import Synchronization
import TestSupport
import Testing

@testable import TernDatabase

@Suite("PostgreSQL notifications", .timeLimit(.minutes(5)))
struct NotificationTests {
    @Test("a NOTIFY arrives when its transaction commits, never after a rollback; closing the database ends the stream")
    func notifyOnCommit() async throws {
        try await TestDatabase.with(.postgres) { testDatabase in
            let database = testDatabase.open()
            let stream = try #require(database.notifications(on: "tern_test"))
            let heard = Mutex<[DatabaseNotification]>([])
            let listening = Task {
                for await notification in stream { heard.withLock { $0.append(notification) } }
            }
            try await waitUntil { heard.withLock { $0.contains(.listening) } }
            struct Abort: Error {}
            _ = try? await database.transaction { transaction in
                _ = try await transaction.query("SELECT pg_notify('tern_test', 'rolled back')")
                throw Abort()
            }
            try await database.transaction { transaction in
                _ = try await transaction.query("SELECT pg_notify('tern_test', 'committed')")
                try await Task.sleep(for: .milliseconds(200))
                #expect(!heard.withLock { $0.contains(.notification(payload: "committed")) }, "delivered before the commit")
            }
            try await waitUntil { heard.withLock { $0.contains(.notification(payload: "committed")) } }
            #expect(heard.withLock { $0 } == [.listening, .notification(payload: "committed")])
            await database.close()
            await listening.value
        }
    }

    @Test("SQLite has no notifications")
    func sqlite() async throws {
        try await withTestDatabase(.sqlite) { database in
            #expect(database.notifications(on: "anything") == nil)
        }
    }
}
