import Foundation
import Logging
import Synchronization
import TernDatabase
import TernJobs
import TernJobsRedis
import TernRedis
import TestSupport
import Testing

/// The backends the jobs tests run on: the database backend on SQLite and PostgreSQL, and the Redis
/// backend (its outbox on PostgreSQL).
enum JobsBackend: String, CaseIterable, CustomTestStringConvertible {
    case sqlite, postgres, redis
    var testDescription: String { rawValue }
}

/// A migrated test database, the backend under test, and a queue on it.
struct JobsHarness: Sendable {
    let database: Database
    let backend: any JobBackend
    let queue: JobQueue
    let redis: RedisClient?
    let outbox: JobOutbox

    static func with(
        _ kind: JobsBackend, visibilityTimeout: Duration = .seconds(30), _ body: (JobsHarness) async throws -> Void
    ) async throws {
        try await TestDatabase.with(kind == .sqlite ? .sqlite : .postgres, migrated: true) { testDatabase in
            // A minute's wait for a connection: a loaded machine is slow, never wrong.
            try await testDatabase.open(maxConnections: 8, acquireTimeout: .seconds(60)).closing { database in
                let outbox = JobOutbox(database: database)
                switch kind {
                case .sqlite, .postgres:
                    let backend = DatabaseJobBackend(
                        database: database, visibilityTimeout: visibilityTimeout, pollInterval: .milliseconds(200))
                    try await body(
                        JobsHarness(database: database, backend: backend, queue: JobQueue(backend: backend), redis: nil, outbox: outbox))
                case .redis:
                    let redis = RedisClient(
                        configuration: try RedisConfiguration(url: try RedisTestServer.sharedURL()), logger: Logger(label: "test"))
                    defer { redis.close() }
                    let backend = RedisJobBackend(
                        redis: redis, outbox: outbox, visibilityTimeout: visibilityTimeout, keyPrefix: "test:jobs:\(UUID().uuidString):")
                    try await body(
                        JobsHarness(database: database, backend: backend, queue: JobQueue(backend: backend), redis: redis, outbox: outbox))
                }
            }
        }
    }

    /// Runs a worker with `registry`'s handlers (and, on Redis, the outbox relay) during `body`, then
    /// stops it gracefully.
    func withWorker<T>(
        _ handlers: JobHandlers, configuration: JobWorkerConfiguration = .forTests(), _ body: (JobWorker) async throws -> T
    ) async throws -> T {
        let worker = JobWorker(backend: backend, handlers: handlers, configuration: configuration, logger: Logger(label: "test"))
        let running = Task { try await worker.run() }
        let relay =
            redis == nil
            ? nil
            : Task { [outbox, backend] in
                try await OutboxRelay(outbox: outbox, backend: backend, pollInterval: .milliseconds(100), logger: Logger(label: "test"))
                    .run()
            }
        defer { relay?.cancel() }
        do {
            let result = try await body(worker)
            worker.stop()
            try await running.value
            return result
        } catch {
            worker.stop()
            _ = try? await running.value
            throw error
        }
    }
}

extension JobWorkerConfiguration {
    /// Quick retries and housekeeping, so tests need not wait long.
    static func forTests(concurrency: Int = 8, shutdownTimeout: Duration = .seconds(30)) -> JobWorkerConfiguration {
        JobWorkerConfiguration(
            concurrency: concurrency, shutdownTimeout: shutdownTimeout,
            retryPolicy: RetryPolicy(base: .milliseconds(20), maximum: .milliseconds(100)),
            leaseRefreshInterval: .milliseconds(500), maintenanceInterval: .milliseconds(100))
    }
}

/// What handlers saw, for tests to check.
final class Journal: Sendable {
    private let entries = Mutex<[String]>([])
    func record(_ entry: String) { entries.withLock { $0.append(entry) } }
    var all: [String] { entries.withLock { $0 } }
    func count(of entry: String) -> Int { entries.withLock { $0.count { $0 == entry } } }
}

/// Polls `condition` every 20 ms for up to `seconds` (generous: a loaded machine is slow, never
/// wrong); records an issue if it never holds. The issue says the longest time between two checks:
/// seconds there mean the whole test process stalled (its threads blocked), not the code under test.
func eventually(within seconds: Double = 60, _ condition: () async throws -> Bool) async throws {
    let deadline = Date().addingTimeInterval(seconds)
    var checks = 0
    var longestGap = 0.0
    var lastCheck = Date()
    while true {
        if try await condition() { return }
        checks += 1
        guard Date() < deadline else { break }
        try await Task.sleep(for: .milliseconds(20))
        longestGap = max(longestGap, Date().timeIntervalSince(lastCheck))
        lastCheck = Date()
    }
    Issue.record(
        "the condition did not hold within \(seconds) s (checked \(checks) times, at most \(longestGap.formatted(.number.precision(.fractionLength(2)))) s apart)"
    )
}

struct Greeting: Job {
    static let name = "greeting"
    var text: String
}

struct AlwaysFails: Job {
    static let name = "always-fails"
    var text: String
}
