import Logging
import Synchronization
import TernDatabase
import TernPrimitives

/// Jobs in the database: a row per job in `tern_job` (see the migration that creates it), claimed
/// with `FOR UPDATE SKIP LOCKED` on PostgreSQL, so workers never wait on each other's rows, and
/// through the single writer connection on SQLite. The embedded default: jobs with no other server.
///
/// - A claim leases the job for the visibility timeout; the worker extends the lease while the job
///   runs. A lease that runs out (the worker died) puts the job back, or dead-letters it when it has
///   no attempts left. Times are the workers' clocks, in milliseconds: keep them in sync (NTP).
/// - On PostgreSQL, enqueueing sends `NOTIFY tern_jobs` in the same statement, delivered when the
///   transaction commits; idle workers `LISTEN` and claim at once. On SQLite (one process, or
///   several polling) a worker in the process that enqueued is woken directly, others poll.
/// - A finished job's row is deleted; a dead one stays with its last error until retried or purged.
public final class DatabaseJobBackend: JobBackend {
    public static let notificationChannel = "tern_jobs"

    let database: Database
    private let visibilityTimeout: Duration
    private let pollInterval: Duration
    private let wake = WakeSignal()
    private let listener = Mutex<Task<Void, Never>?>(nil)
    private let lastHousekeeping = Atomic<Int64>(0)
    /// Idempotency keys and cron ticks are kept this long (a job retried from the dead-letter set
    /// later than this could run its effect again).
    private let bookkeepingRetention: Duration

    /// - Parameters:
    ///   - database: where the jobs are kept, in the `tern_job` table its migrations create.
    ///   - visibilityTimeout: how long a claimed job stays with a worker that stops extending it.
    ///   - pollInterval: how often an idle worker looks for due jobs without being woken (delayed
    ///     jobs, retries, other processes on SQLite).
    ///   - bookkeepingRetention: how long idempotency keys and cron ticks are kept.
    public init(
        database: Database, visibilityTimeout: Duration = JobDefaults.visibilityTimeout,
        pollInterval: Duration = JobDefaults.pollInterval,
        bookkeepingRetention: Duration = .seconds(30 * 86_400)
    ) {
        self.database = database
        self.visibilityTimeout = visibilityTimeout
        self.pollInterval = pollInterval
        self.bookkeepingRetention = bookkeepingRetention
    }

    deinit {
        listener.withLock { $0 }?.cancel()
    }

    // MARK: Enqueueing

    public func enqueue(_ jobs: [JobEnvelope]) async throws -> [String] {
        var ids: [String] = []
        ids.reserveCapacity(jobs.count)
        for chunk in Self.chunks(of: jobs) {
            ids += try await insert(chunk, into: database)
        }
        wake.signal()
        return ids
    }

    public func enqueue(_ jobs: [JobEnvelope], in transaction: any Queryable) async throws {
        for chunk in Self.chunks(of: jobs) { _ = try await insert(chunk, into: transaction) }
        if let session = transaction as? DatabaseSession {
            await session.afterCommit { [wake] in wake.signal() }
        }
    }

    public func enqueueOnce(_ job: JobEnvelope, schedule name: String, tick: Int64) async throws -> Bool {
        let enqueued = try await database.transaction { transaction in
            let claimed = try await transaction.execute(
                "INSERT INTO tern_job_tick (name, tick) VALUES (\(name), \(tick)) ON CONFLICT DO NOTHING")
            guard claimed == 1 else { return false }
            _ = try await insert([job], into: transaction)
            return true
        }
        if enqueued { wake.signal() }
        return enqueued
    }

    /// Inserts jobs, notifying listeners on PostgreSQL in the same statement; the id of each job (for
    /// a unique key already taken, the holder's).
    private func insert(_ jobs: [JobEnvelope], into queryable: any Queryable) async throws -> [String] {
        let now = currentMilliseconds()
        let insert: SQL = """
            INSERT INTO tern_job (\(JobTableSQL.columns), state, updated_at) VALUES \(JobTableSQL.values(jobs, now: now)) \
            ON CONFLICT (unique_key) DO NOTHING RETURNING id
            """
        let inserted: [String]
        switch queryable.dialect {
        case .postgres:
            // pg_notify per row: PostgreSQL delivers identical notifications of a transaction once.
            inserted = try await queryable.query(
                "WITH inserted AS (\(insert)) SELECT id, pg_notify(\(Self.notificationChannel), '') FROM inserted",
                as: InsertedJob.self
            ).map(\.id)
        case .sqlite:
            inserted = try await queryable.query(insert, as: InsertedJob.self).map(\.id)
        }
        guard inserted.count < jobs.count else { return jobs.map(\.id) }
        // Some unique keys were taken: answer with the ids of the jobs holding them.
        let insertedIDs = Set(inserted)
        var ids: [String] = []
        for job in jobs {
            if insertedIDs.contains(job.id) {
                ids.append(job.id)
            } else if let key = job.uniqueKey,
                let holder = try await queryable.queryFirst("SELECT id FROM tern_job WHERE unique_key = \(key)", as: InsertedJob.self)
            {
                ids.append(holder.id)
            } else {
                ids.append(job.id)
            }
        }
        return ids
    }

    private struct InsertedJob: Decodable {
        let id: String
    }

    /// Batches small enough for any database's limit on bound parameters (13 per job).
    private static func chunks(of jobs: [JobEnvelope]) -> [[JobEnvelope]] {
        stride(from: 0, to: jobs.count, by: 1000).map { Array(jobs[$0..<min($0 + 1000, jobs.count)]) }
    }

    // MARK: Claiming and settling

    public func claim(queues: [JobQueueName], limit: Int, worker: String, wait: Duration) async throws -> [ClaimedJob] {
        startListeningIfNeeded()
        let jobs = try await claimNow(queues: queues, limit: limit, worker: worker)
        guard jobs.isEmpty else { return jobs }
        await wake.wait(upTo: min(wait, pollInterval))
        return try await claimNow(queues: queues, limit: limit, worker: worker)
    }

    /// One statement: the due jobs of each queue, oldest first, walked in the `tern_job_due` index
    /// (queue, run_at) and stopping at `limit`, then the highest-priority queue's first. (One `IN`
    /// over all queues sorted by priority made PostgreSQL sort every waiting job on each claim.)
    private func claimNow(queues: [JobQueueName], limit: Int, worker: String) async throws -> [ClaimedJob] {
        guard limit > 0, !queues.isEmpty else { return [] }
        let now = currentMilliseconds()
        let lock: SQL = database.dialect == .postgres ? " FOR UPDATE SKIP LOCKED" : ""
        let perQueue = queues.enumerated().map { index, queue -> SQL in
            """
            SELECT id, priority, run_at FROM (
                SELECT id, priority, run_at FROM tern_job
                WHERE state = 'queued' AND queue = \(queue.name) AND run_at <= \(now)
                ORDER BY run_at LIMIT \(limit)\(lock)) AS \(identifier: "queue\(index)")
            """
        }
        let due: SQL = """
            SELECT id FROM (\(SQL.joined(perQueue, separator: " UNION ALL "))) AS due
            ORDER BY priority DESC, run_at LIMIT \(limit)
            """
        // On PostgreSQL an array made once (see `JobTableSQL.isOneOf`): `id IN (due)` could be
        // planned as a scan of every row, each checked against the chosen ones.
        let chosen: SQL = database.dialect == .postgres ? "= ANY (ARRAY(\(due)))" : "IN (\(due))"
        let rows = try await database.query(
            """
            UPDATE tern_job SET state = 'running', attempt = attempt + 1, locked_by = \(worker), \
            locked_until = \(now + visibilityTimeout.wholeMilliseconds), updated_at = \(now)
            WHERE id \(chosen)
            RETURNING \(JobTableSQL.columns)
            """, as: JobEnvelope.self)
        return rows.sorted { ($0.priority, $1.runAt) > ($1.priority, $0.runAt) }.map { row in
            var envelope = row
            envelope.attempt = row.attempt - 1
            return ClaimedJob(envelope: envelope, attempt: row.attempt)
        }
    }

    public func complete(_ jobs: [ClaimedJob], worker: String) async throws {
        guard !jobs.isEmpty else { return }
        try await database.execute(
            "DELETE FROM tern_job WHERE locked_by = \(worker) AND id \(ids(jobs))")
    }

    public func fail(_ job: ClaimedJob, worker: String, error: String, retryAt: Int64?) async throws {
        let dead = retryAt == nil || job.attempt >= job.envelope.maxAttempts
        let now = currentMilliseconds()
        let state: JobState = dead ? .dead : .queued
        let uniqueKey: SQL = dead ? "NULL" : "unique_key"
        try await database.execute(
            """
            UPDATE tern_job SET state = \(state.rawValue), unique_key = \(uniqueKey), run_at = \(retryAt ?? now), \
            last_error = \(error), locked_by = NULL, locked_until = NULL, updated_at = \(now)
            WHERE id = \(job.id) AND locked_by = \(worker)
            """)
        if !dead { wake.signal() }
    }

    public func extendLeases(_ jobs: [ClaimedJob], worker: String) async throws {
        guard !jobs.isEmpty else { return }
        let until = currentMilliseconds() + visibilityTimeout.wholeMilliseconds
        try await database.execute(
            "UPDATE tern_job SET locked_until = \(until) WHERE locked_by = \(worker) AND state = 'running' AND id \(ids(jobs))")
    }

    public func release(_ jobs: [ClaimedJob], worker: String) async throws {
        guard !jobs.isEmpty else { return }
        try await database.execute(
            """
            UPDATE tern_job SET state = 'queued', attempt = attempt - 1, locked_by = NULL, locked_until = NULL
            WHERE locked_by = \(worker) AND state = 'running' AND id \(ids(jobs))
            """)
    }

    private func ids(_ jobs: [ClaimedJob]) -> SQL {
        JobTableSQL.isOneOf(jobs.map(\.id), dialect: database.dialect)
    }

    // MARK: Housekeeping

    public func maintain() async throws {
        let now = currentMilliseconds()
        let reclaimed = try await database.execute(
            """
            UPDATE tern_job SET state = CASE WHEN attempt >= max_attempts THEN 'dead' ELSE 'queued' END,
                unique_key = CASE WHEN attempt >= max_attempts THEN NULL ELSE unique_key END,
                last_error = 'its worker stopped before it finished (the lease ran out)',
                locked_by = NULL, locked_until = NULL, updated_at = \(now)
            WHERE state = 'running' AND locked_until < \(now)
            """)
        if reclaimed > 0 { wake.signal() }
        // Old ticks and idempotency keys: every ten minutes is plenty.
        let last = lastHousekeeping.load(ordering: .relaxed)
        guard now - last > 600_000,
            lastHousekeeping.compareExchange(expected: last, desired: now, ordering: .relaxed).exchanged
        else { return }
        let cutoff = now - bookkeepingRetention.wholeMilliseconds
        // A tick is a minute in Unix seconds, not milliseconds.
        try await database.execute("DELETE FROM tern_job_tick WHERE tick < \(cutoff / 1000)")
        try await database.execute("DELETE FROM tern_job_effect WHERE recorded_at < \(cutoff)")
    }

    /// On PostgreSQL, listens for enqueue notifications from every process for as long as the
    /// backend lives; a (re)connected listener wakes the workers once for what it may have missed.
    private func startListeningIfNeeded() {
        listener.withLock { listener in
            guard listener == nil, let notifications = database.notifications(on: Self.notificationChannel) else { return }
            listener = Task { [wake] in
                for await _ in notifications { wake.signal() }
            }
        }
    }

    // MARK: Inspection and repair

    public func list(_ state: JobState, queue: String?, limit: Int) async throws -> [JobSummary] {
        let queueFilter: SQL = queue.map { "AND queue = \($0)" } ?? ""
        let rows = try await database.query(
            "SELECT \(JobTableSQL.columns) FROM tern_job WHERE state = \(state.rawValue) \(queueFilter) ORDER BY run_at, id LIMIT \(limit)",
            as: JobEnvelope.self)
        return rows.map { JobSummary(envelope: $0, state: state) }
    }

    public func stats() async throws -> [QueueStats] {
        let now = currentMilliseconds()
        let rows = try await database.query(
            """
            SELECT queue, state, count(*) AS jobs,
                min(CASE WHEN state = 'queued' AND run_at <= \(now) THEN run_at END) AS oldest_due
            FROM tern_job GROUP BY queue, state
            """, as: StateCount.self)
        var stats: [String: QueueStats] = [:]
        for row in rows {
            var entry = stats[row.queue] ?? QueueStats(queue: row.queue, queued: 0, running: 0, dead: 0, oldestAgeMilliseconds: 0)
            switch JobState(rawValue: row.state) {
            case .queued:
                entry.queued = row.jobs
                entry.oldestAgeMilliseconds = row.oldestDue.map { max(0, now - $0) } ?? 0
            case .running: entry.running = row.jobs
            case .dead: entry.dead = row.jobs
            case nil: break
            }
            stats[row.queue] = entry
        }
        return stats.values.sorted { $0.queue < $1.queue }
    }

    private struct StateCount: Decodable {
        let queue: String
        let state: String
        let jobs: Int
        let oldestDue: Int64?
    }

    public func retryDead(id: String) async throws -> Bool {
        let retried = try await database.execute(retryDeadSQL(where: "AND id = \(id)")) == 1
        if retried { try await notifyWorkers() }
        return retried
    }

    public func retryAllDead() async throws -> Int {
        let retried = try await database.execute(retryDeadSQL(where: ""))
        if retried > 0 { try await notifyWorkers() }
        return retried
    }

    private func retryDeadSQL(where condition: SQL) -> SQL {
        let now = currentMilliseconds()
        return "UPDATE tern_job SET state = 'queued', attempt = 0, run_at = \(now), updated_at = \(now) WHERE state = 'dead' \(condition)"
    }

    /// Wakes idle workers: those of this process directly, on PostgreSQL those of every process.
    private func notifyWorkers() async throws {
        wake.signal()
        if database.dialect == .postgres {
            _ = try await database.query("SELECT pg_notify(\(Self.notificationChannel), '')")
        }
    }

    public func purgeDead() async throws -> Int {
        try await database.execute("DELETE FROM tern_job WHERE state = 'dead'")
    }
}
