import Foundation
import Logging
import TernDatabase
import TernJobs
import TernJobsRedis
import TernRedis
import TestSupport
import Testing

/// Workers as processes of their own (the `JobsFixture` executable), ended the ways a machine or a
/// deploy ends them: SIGKILL in the middle of thousands of jobs, SIGTERM while jobs run. The in-process
/// tests stop a worker politely; these show what the queue promises when a process is gone for good.
// One case at a time: each drives processes through 10,000 jobs, and three at once would slow every
// other suite of the run past its time limits.
@Suite("Jobs: worker processes killed and stopped", .serialized, .timeLimit(.minutes(5)))
struct WorkerProcessTests {
    @Test(
        "a worker SIGKILLed (twice) in the middle of 10,000 jobs loses none, and each effect happens exactly once",
        arguments: JobsBackend.allCases)
    func killedMidway(_ kind: JobsBackend) async throws {
        try await WorkerFixture.with(kind) { fixture in
            let total = 10_000
            try await fixture.enqueue(total)
            // A short visibility timeout, so the next worker takes over the killed one's jobs soon.
            let worker = fixture.worker([
                "FIXTURE_CONCURRENCY": "16", "FIXTURE_VISIBILITY_TIMEOUT_MS": "2000", "FIXTURE_JOB_SLEEP_MS": "20",
            ])
            var logs = ""
            for effects in [2_000, 6_000] {
                let (killed, _) = try await worker.start(["work"]) { process in
                    try await until("\(effects) effects are recorded") { try await fixture.count("fixture_effect") >= effects }
                    process.send(SIGKILL)
                }
                #expect(killed.signal == SIGKILL, "\(killed.log)")
                logs += killed.log
            }
            let (last, _) = try await worker.start(["work"]) { process in
                try await until("every job is done", within: 240) { try await fixture.isDone(total) }
                process.send(SIGTERM)
            }
            #expect(last.status == 0, "\(last.log)")
            logs += last.log

            let effects = try await fixture.database.query("SELECT n FROM fixture_effect", as: Int.self)
            let repeated = try await fixture.database.query(
                "SELECT n FROM fixture_effect GROUP BY n HAVING count(*) > 1 ORDER BY n LIMIT 20", as: Int.self)
            #expect(repeated.isEmpty, "effects applied more than once, for n = \(repeated)")
            #expect(effects.count == total)
            #expect(Set(effects) == Set(0..<total), "a job's effect is missing")
            // Otherwise the kills interrupted nothing, and the test proved nothing. A job sleeps after its
            // effect, so a kill mostly finds jobs whose effect is recorded and not acknowledged.
            let deliveries = try await fixture.count("fixture_delivery")
            #expect(deliveries > total, "no job was delivered again after a kill")
            let skipped = logs.contains("effect already applied; skipped")
            #expect(skipped, "no job whose effect was recorded before a kill was delivered again: the idempotency key went untested")
            if kind == .sqlite {
                let check = try await fixture.database.query("PRAGMA integrity_check", as: String.self)
                #expect(check == ["ok"])
            }
        }
    }

    @Test(
        "SIGTERM: the worker stops claiming, finishes its running jobs and exits 0; the others wait for the next worker",
        arguments: JobsBackend.allCases)
    func drainsOnSIGTERM(_ kind: JobsBackend) async throws {
        try await WorkerFixture.with(kind) { fixture in
            let total = 20
            try await fixture.enqueue(total)
            let worker = fixture.worker([
                "FIXTURE_CONCURRENCY": "4", "FIXTURE_JOB_SLEEP_MS": "1500", "FIXTURE_SHUTDOWN_TIMEOUT_MS": "60000",
                "FIXTURE_VISIBILITY_TIMEOUT_MS": "2000",
            ])
            let clock = ContinuousClock()
            let (first, (process, signalled)) = try await worker.start(["work"]) { process in
                try await until("jobs are running") { try await fixture.count("fixture_delivery") > 0 }
                process.send(SIGTERM)
                return (process.processIdentifier, clock.now)
            }
            #expect(first.status == 0, "\(first.log)")
            #expect(clock.now - signalled < .seconds(60), "it took longer than its shutdown timeout to stop")
            #expect(first.log.contains("waiting for running jobs to finish"), "SIGTERM found no job running: \(first.log)")

            let started = try await fixture.database.query(
                "SELECT n FROM fixture_delivery WHERE process = \(Int(process))", as: Int.self)
            #expect(!started.isEmpty)
            #expect(Set(try await fixture.database.query("SELECT n FROM fixture_effect", as: Int.self)) == Set(started))
            // What it started it acknowledged; what it did not start waits, neither lost nor dead.
            let left = try await fixture.backend.stats()
            #expect(left.reduce(0) { $0 + $1.dead } == 0)
            #expect(left.reduce(0) { $0 + $1.queued + $1.running } == total - started.count)
            if kind != .redis {
                // On Redis, a job claimed but not started as the worker stopped is given back as a
                // pending entry the next worker takes at once: until then it counts as running.
                #expect(left.reduce(0) { $0 + $1.running } == 0)
            }

            let (second, _) = try await worker.start(["work"]) { process in
                try await until("every job is done") { try await fixture.isDone(total) }
                process.send(SIGTERM)
            }
            #expect(second.status == 0, "\(second.log)")
            // No job the first worker started was delivered again: it was not abandoned to its lease.
            let delivered = try await fixture.database.query("SELECT n FROM fixture_delivery ORDER BY n", as: Int.self)
            #expect(delivered == Array(0..<total))
            let effects = try await fixture.database.query("SELECT n FROM fixture_effect ORDER BY n", as: Int.self)
            #expect(effects == Array(0..<total))
        }
    }
}

/// A migrated test database (on Redis, PostgreSQL holds the effects), the environment the fixture
/// runs on it with, and a backend on the same queue for the test to look at it.
struct WorkerFixture {
    let database: Database
    let backend: any JobBackend
    let environment: [String: String]

    static func with(_ kind: JobsBackend, _ body: (WorkerFixture) async throws -> Void) async throws {
        try await TestDatabase.with(kind == .sqlite ? .sqlite : .postgres, migrated: true) { testDatabase in
            try await testDatabase.open().closing { database in
                let environment = ["FIXTURE_DATABASE_URL": testDatabase.url.string]
                switch kind {
                case .sqlite, .postgres:
                    try await body(
                        WorkerFixture(database: database, backend: DatabaseJobBackend(database: database), environment: environment))
                case .redis:
                    // The shared server, under keys of this test's own.
                    let url = try RedisTestServer.sharedURL()
                    let prefix = "test:jobs:\(UUID().uuidString):"
                    let redis = RedisClient(
                        configuration: try RedisConfiguration(url: url, commandTimeout: .seconds(10)), logger: Logger(label: "test"))
                    defer { redis.close() }
                    try await body(
                        WorkerFixture(
                            database: database,
                            backend: RedisJobBackend(redis: redis, outbox: JobOutbox(database: database), keyPrefix: prefix),
                            environment: environment.merging([
                                "FIXTURE_BACKEND": "redis", "FIXTURE_REDIS_URL": url, "FIXTURE_REDIS_KEY_PREFIX": prefix,
                            ]) { $1 }))
                }
            }
        }
    }

    /// The fixture with `settings` on top of the database and queue.
    func worker(_ settings: [String: String]) -> ChildProcess {
        ChildProcess("JobsFixture", environment: environment.merging(settings) { $1 })
    }

    /// Enqueues `RecordEffect(n)` for n in 0..<count (the fixture also makes its tables).
    func enqueue(_ count: Int) async throws {
        let result = try await worker([:]).run(["enqueue", String(count)])
        try #require(result.status == 0, "\(result.log)")
    }

    /// The rows of one of the fixture's tables.
    func count(_ table: String) async throws -> Int {
        try await database.queryFirst("SELECT count(*) FROM \(identifier: table)", as: Int.self) ?? 0
    }

    /// Whether `total` effects are recorded and no job waits, runs or is dead.
    func isDone(_ total: Int) async throws -> Bool {
        guard try await count("fixture_effect") >= total else { return false }
        return try await backend.stats().allSatisfy { $0.queued == 0 && $0.running == 0 && $0.dead == 0 }
    }
}

/// Polls `condition` every 50 ms until it holds; throws once `seconds` have passed (generous: a
/// loaded machine is slow, never wrong).
private func until(_ what: String, within seconds: Double = 120, _ condition: () async throws -> Bool) async throws {
    let deadline = Date().addingTimeInterval(seconds)
    while try await !condition() {
        guard Date() < deadline else { throw TestSetupError("waited \(seconds) s, in vain, until \(what)") }
        try await Task.sleep(for: .milliseconds(50))
    }
}
