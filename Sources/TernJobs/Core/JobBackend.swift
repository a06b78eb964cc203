import TernDatabase

/// Where jobs wait and how workers take them: the contract both backends (the database's jobs table
/// and Redis Streams) keep, so the worker, the queue and the tools are written once.
///
/// Delivery is at least once: a job is removed only by ``complete(_:worker:)`` after its handler
/// succeeded; a worker that dies leaves its jobs claimed until their lease (the visibility timeout)
/// runs out, when ``claim(queues:limit:worker:wait:)`` hands them out again.
public protocol JobBackend: Sendable {
    /// Stores jobs now, outside any transaction. Returns each job's id: its own, or, for a unique
    /// key already taken, the id of the job holding it.
    func enqueue(_ jobs: [JobEnvelope]) async throws -> [String]

    /// Stores jobs as part of the caller's transaction: nothing is enqueued if it rolls back.
    func enqueue(_ jobs: [JobEnvelope], in transaction: any Queryable) async throws

    /// Enqueues `job` unless a job was already enqueued for `tick` of the schedule `name` (by any
    /// process): periodic jobs run once per tick however many workers there are.
    func enqueueOnce(_ job: JobEnvelope, schedule name: String, tick: Int64) async throws -> Bool

    /// Takes up to `limit` due jobs from `queues` (higher priority first) for `worker`, leased for
    /// the visibility timeout; waits up to `wait` for one when there is none.
    func claim(queues: [JobQueueName], limit: Int, worker: String, wait: Duration) async throws -> [ClaimedJob]

    /// Removes jobs whose handler succeeded.
    func complete(_ jobs: [ClaimedJob], worker: String) async throws

    /// Records a failed attempt: the job runs again at `retryAt` (milliseconds since 1970), or, when
    /// `retryAt` is `nil` or it has no attempts left, goes to the dead-letter set.
    func fail(_ job: ClaimedJob, worker: String, error: String, retryAt: Int64?) async throws

    /// Extends the lease of jobs still running, so they are not handed to another worker.
    func extendLeases(_ jobs: [ClaimedJob], worker: String) async throws

    /// Gives back jobs claimed but not started (the worker is stopping), for others to take at once.
    func release(_ jobs: [ClaimedJob], worker: String) async throws

    /// Housekeeping a worker runs every few seconds: leases that ran out, delayed jobs that are due,
    /// old bookkeeping.
    func maintain() async throws

    // MARK: Inspection and repair (`worker jobs ...`, the dashboard)

    func list(_ state: JobState, queue: String?, limit: Int) async throws -> [JobSummary]
    func stats() async throws -> [QueueStats]
    /// Puts a dead job back in its queue with fresh attempts; `false` if there is no such dead job.
    func retryDead(id: String) async throws -> Bool
    /// Puts every dead job back; their number.
    func retryAllDead() async throws -> Int
    /// Deletes every dead job; their number.
    func purgeDead() async throws -> Int
}

/// A job a worker has claimed: the envelope, with the attempt this delivery is, plus whatever the
/// backend needs to acknowledge it (a stream entry id).
public struct ClaimedJob: Sendable, Hashable {
    public var envelope: JobEnvelope
    /// This delivery's attempt, from 1.
    public var attempt: Int
    /// The backend's handle on the delivery (the Redis stream entry id); empty for the database.
    public var receipt: String

    public init(envelope: JobEnvelope, attempt: Int, receipt: String = "") {
        self.envelope = envelope
        self.attempt = attempt
        self.receipt = receipt
    }

    public var id: String { envelope.id }
}

/// Where a job is in its life.
public enum JobState: String, Sendable, CaseIterable, Codable {
    /// Waiting to run (now, later, or for a retry).
    case queued
    /// Claimed by a worker.
    case running
    /// Out of attempts, or failed for good: waits in the dead-letter set for a retry or a purge.
    case dead
}

/// One job as the inspection tools show it.
public struct JobSummary: Sendable, Codable, Hashable {
    public var id: String
    public var name: String
    public var queue: String
    public var state: JobState
    public var attempt: Int
    public var maxAttempts: Int
    /// When it may run (queued), or when it was enqueued.
    public var runAt: Int64
    public var enqueuedAt: Int64
    public var lastError: String?

    public init(envelope: JobEnvelope, state: JobState) {
        self.id = envelope.id
        self.name = envelope.name
        self.queue = envelope.queue
        self.state = state
        self.attempt = envelope.attempt
        self.maxAttempts = envelope.maxAttempts
        self.runAt = envelope.runAt
        self.enqueuedAt = envelope.enqueuedAt
        self.lastError = envelope.lastError
    }

    enum CodingKeys: String, CodingKey {
        case id, name, queue, state, attempt
        case maxAttempts = "max_attempts"
        case runAt = "run_at"
        case enqueuedAt = "enqueued_at"
        case lastError = "last_error"
    }
}

/// The figures of one queue.
public struct QueueStats: Sendable, Codable, Hashable {
    public var queue: String
    /// Due or delayed, not yet claimed.
    public var queued: Int
    public var running: Int
    public var dead: Int
    /// Age in milliseconds of the oldest job waiting to run; 0 when none waits.
    public var oldestAgeMilliseconds: Int64

    public init(queue: String, queued: Int, running: Int, dead: Int, oldestAgeMilliseconds: Int64) {
        self.queue = queue
        self.queued = queued
        self.running = running
        self.dead = dead
        self.oldestAgeMilliseconds = oldestAgeMilliseconds
    }

    enum CodingKeys: String, CodingKey {
        case queue, queued, running, dead
        case oldestAgeMilliseconds = "oldest_age_ms"
    }
}
