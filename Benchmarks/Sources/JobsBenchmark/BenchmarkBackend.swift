import Foundation
import Logging
import TernDatabase
import TernJobs
import TernJobsRedis
import TernMigrations
import TernRedis

/// The backend under test, opened as the app opens it (`AppServices.jobBackend`), with a way to
/// empty it between measurements.
struct BenchmarkBackend {
    enum Kind: String, CaseIterable {
        case redis, postgres, sqlite
    }

    let kind: Kind
    let backend: any JobBackend
    /// Removes every job (and, on Redis, everything else in the database: `FLUSHDB`, as the peers do).
    let empty: () async throws -> Void
    let close: () async -> Void
    /// CPU seconds the server has used so far, where the benchmark can read it (Redis: `INFO cpu`).
    var serverCPUSeconds: (() async throws -> Double)? = nil

    /// - Parameter location: a `redis://` URL, a `postgres://` URL, or a SQLite file path.
    static func open(_ kind: Kind, location: String) async throws -> BenchmarkBackend {
        switch kind {
        case .redis:
            let configuration = try RedisConfiguration(
                url: location, connectionCount: Settings.integer("REDIS_CONNECTIONS", default: 2),
                commandTimeout: .seconds(10))
            let redis = RedisClient(configuration: configuration, logger: Logger(label: "bench.redis"))
            // The outbox is for enqueueing in a database transaction, which the benchmark does not
            // do: a SQLite file that is never opened (the pool connects on first use).
            let unused = Database(
                DatabaseConfiguration(url: try DatabaseURL("sqlite://" + NSTemporaryDirectory() + "tern-jobs-bench-unused.sqlite")))
            let backend = RedisJobBackend(redis: redis, outbox: JobOutbox(database: unused))
            // After FLUSHDB, the stream and its consumer group are made again as the workers left
            // them: the backend remembers the groups it made, and its `stats()` would fail with
            // NOGROUP (the backend's key names: prefix `tern:jobs:`, group `workers`).
            let empty = {
                try await redis.send("FLUSHDB")
                try await redis.send("XGROUP", "CREATE", "tern:jobs:queue:default", "workers", "0", "MKSTREAM")
            }
            return BenchmarkBackend(
                kind: kind, backend: backend, empty: empty,
                close: {
                    redis.close()
                    await unused.close()
                },
                serverCPUSeconds: {
                    let info = try await redis.send("INFO", "cpu").string ?? ""
                    return info.split(whereSeparator: \.isNewline).reduce(0.0) { sum, line in
                        let parts = line.split(separator: ":")
                        guard parts.count == 2, ["used_cpu_sys", "used_cpu_user"].contains(parts[0]) else { return sum }
                        return sum + (Double(parts[1]) ?? 0)
                    }
                })
        case .postgres, .sqlite:
            let url = kind == .postgres ? location : "sqlite://" + location
            let database = Database(DatabaseConfiguration(url: try DatabaseURL(url), maxConnections: 16))
            try await Migrator(
                database: database, directory: MigrationDirectory(path: migrationsPath), logger: Logger(label: "bench.migrations")
            ).migrate()
            let backend = DatabaseJobBackend(database: database)
            return BenchmarkBackend(
                kind: kind, backend: backend, empty: { try await database.execute("DELETE FROM tern_job") },
                close: { await database.close() })
        }
    }

    /// Jobs waiting and running, summed over the queues (one `stats()` call).
    func unfinished() async throws -> (queued: Int, running: Int) {
        try await backend.stats().reduce(into: (0, 0)) { sum, queue in
            sum.queued += queue.queued
            sum.running += queue.running
        }
    }

    /// The repository's `Migrations/` folder, found from this file's place in `Benchmarks/Sources/`.
    static let migrationsPath = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Migrations").path
}
