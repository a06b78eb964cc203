import Foundation
import TestSupport
import Testing

@testable import TernDatabase

@Suite("Connection pool")
struct PoolTests {
    @Test("an exhausted pool fails with poolExhausted after the timeout instead of hanging", arguments: Backend.allCases)
    func exhaustion(backend: Backend) async throws {
        try await withTestDatabase(backend, maxConnections: 1, acquireTimeout: .milliseconds(200)) { database in
            let started = ContinuousClock.now
            let error = await #expect(throws: DatabaseError.self) {
                try await database.transaction(.readOnly) { _ in
                    try await database.transaction(.readOnly) { _ in }
                }
            }
            #expect(error?.kind == .poolExhausted)
            #expect(ContinuousClock.now - started < .seconds(3))
            // The held connection came back: the pool works again.
            let one = try await database.queryFirst("SELECT 1", as: Int.self)
            #expect(one == 1)
        }
    }

    @Test("waiting tasks get connections as they are returned", arguments: Backend.allCases)
    func waiters(backend: Backend) async throws {
        try await withTestDatabase(backend, maxConnections: 2, acquireTimeout: .seconds(10)) { database in
            let results = try await withThrowingTaskGroup(of: Int.self) { group in
                for value in 0..<50 {
                    group.addTask { try await database.queryFirst("SELECT \(value) + 0 AS v", as: Int.self) ?? -1 }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(results.sorted() == Array(0..<50))
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
