// A job worker as a process of its own, for the tests that kill and stop one
// (Tests/TernJobsTests/WorkerProcessTests.swift): what an in-process test cannot show is that a worker
// SIGKILLed in the middle of its jobs loses none and repeats no effect, and that one sent SIGTERM
// lets its running jobs finish before it exits.
//
//   JobsFixture enqueue N   enqueues RecordEffect(n) for n in 0..<N, a thousand per round trip
//   JobsFixture work        runs a worker until SIGTERM or SIGINT (then drains), or until killed
//
// Settings, from the environment: FIXTURE_DATABASE_URL (required; migrated); FIXTURE_BACKEND,
// `database` (the default) or `redis`, with FIXTURE_REDIS_URL and FIXTURE_REDIS_KEY_PREFIX (the
// database then holds only the effects); FIXTURE_VISIBILITY_TIMEOUT_MS (30000), FIXTURE_CONCURRENCY
// (10), FIXTURE_SHUTDOWN_TIMEOUT_MS (30000), FIXTURE_JOB_SLEEP_MS (0).
//
// RecordEffect(n) first adds a row to `fixture_delivery`, on its own (autocommit), so every delivery
// shows, redeliveries too; then records its effect, a row in `fixture_effect`, through
// `JobContext.once`, so exactly once however often it is delivered; then sleeps FIXTURE_JOB_SLEEP_MS,
// the rest of its work. A kill thus mostly finds jobs whose effect is recorded and not acknowledged,
// which their next delivery must skip. `fixture_effect` has no unique constraint on purpose: an effect
// applied twice shows as a second row instead of failing the job.

import Foundation
import Logging
import ServiceLifecycle
import TernDatabase
import TernJobs
import TernJobsRedis
import TernRedis
import UnixSignals

struct RecordEffect: Job {
    static let name = "fixture.record-effect"
    var n: Int
}

let environment = ProcessInfo.processInfo.environment

func setting(_ name: String, default value: Int) -> Int {
    environment[name].flatMap { Int($0) } ?? value
}

LoggingSystem.bootstrap { StreamLogHandler.standardError(label: $0) }
let logger = Logger(label: "jobs-fixture")

guard let databaseURL = environment["FIXTURE_DATABASE_URL"] else {
    FileHandle.standardError.write(Data("FIXTURE_DATABASE_URL is not set\n".utf8))
    exit(2)
}
let database = Database(DatabaseConfiguration(url: try DatabaseURL(databaseURL), maxConnections: 8), logger: logger)
try await database.execute(
    "CREATE TABLE IF NOT EXISTS fixture_delivery (n INTEGER NOT NULL, attempt INTEGER NOT NULL, process INTEGER NOT NULL)")
try await database.execute("CREATE TABLE IF NOT EXISTS fixture_effect (n INTEGER NOT NULL)")

let visibilityTimeout = Duration.milliseconds(setting("FIXTURE_VISIBILITY_TIMEOUT_MS", default: 30_000))
let outbox = JobOutbox(database: database)
let redis: RedisClient?
let backend: any JobBackend
if environment["FIXTURE_BACKEND"] == "redis" {
    // A loaded machine answers slowly: a command that times out is a failure the worker retries,
    // which would only make the test slower.
    let client = RedisClient(
        configuration: try RedisConfiguration(url: environment["FIXTURE_REDIS_URL"] ?? "", commandTimeout: .seconds(10)),
        logger: logger)
    redis = client
    backend = RedisJobBackend(
        redis: client, outbox: outbox, visibilityTimeout: visibilityTimeout,
        keyPrefix: environment["FIXTURE_REDIS_KEY_PREFIX"] ?? "fixture:jobs:")
} else {
    redis = nil
    backend = DatabaseJobBackend(database: database, visibilityTimeout: visibilityTimeout, pollInterval: .milliseconds(100))
}

switch Array(CommandLine.arguments.dropFirst()) {
case let arguments where arguments.count == 2 && arguments[0] == "enqueue":
    let count = Int(arguments[1]) ?? 0
    // Attempts to spare: a job a kill interrupts is dead-lettered only when it runs out of them.
    let queue = JobQueue(backend: backend, defaultMaxAttempts: 100)
    for start in stride(from: 0, to: count, by: 1000) {
        try await queue.enqueue((start..<min(start + 1000, count)).map { RecordEffect(n: $0) })
    }
    redis?.close()
    await database.close()

case ["work"]:
    let process = Int(getpid())
    let sleep = Duration.milliseconds(setting("FIXTURE_JOB_SLEEP_MS", default: 0))
    var registry = JobRegistry(services: database)
    registry.register(RecordEffect.self) { job, context in
        let database = context.services
        try await database.execute(
            "INSERT INTO fixture_delivery (n, attempt, process) VALUES (\(job.n), \(context.attempt), \(process))")
        try await context.once(in: database) { transaction in
            try await transaction.execute("INSERT INTO fixture_effect (n) VALUES (\(job.n))")
        }
        if sleep > .zero { try await Task.sleep(for: sleep) }
    }
    let worker = JobWorker(
        backend: backend, handlers: registry.handlers,
        configuration: JobWorkerConfiguration(
            concurrency: setting("FIXTURE_CONCURRENCY", default: 10),
            shutdownTimeout: .milliseconds(setting("FIXTURE_SHUTDOWN_TIMEOUT_MS", default: 30_000)),
            retryPolicy: RetryPolicy(base: .milliseconds(100), maximum: .seconds(1)),
            leaseRefreshInterval: visibilityTimeout / 4, maintenanceInterval: .milliseconds(200)),
        logger: logger)
    // Stopped in reverse order: the worker first, the connections last.
    var services: [any Service] = [database]
    if let redis {
        services += [redis, OutboxRelay(outbox: outbox, backend: backend, pollInterval: .milliseconds(200), logger: logger)]
    }
    services.append(worker)
    try await ServiceGroup(
        configuration: ServiceGroupConfiguration(
            services: services.map { ServiceGroupConfiguration.ServiceConfiguration(service: $0) },
            gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
    ).run()

default:
    FileHandle.standardError.write(Data("usage: JobsFixture enqueue N | work\n".utf8))
    exit(2)
}
