import TernAPI
import TernJobs

/// Inspection and repair of the job queue, for superusers: the figures of each queue, the jobs in
/// each state, and the dead-letter set's retries and purge. Works on the configured backend (the
/// database's jobs table or Redis Streams) through the contract both keep; who may call it is the
/// callers' business (the jobs API and the dashboard check it each their way).
@Input
struct JobsService: InputDependency {
    @Depends var app: AppServices

    private var backend: any JobBackend { app.jobs.backend }

    /// The figures of every queue that holds jobs, by name.
    func stats() async throws -> [QueueStats] {
        try await backend.stats()
    }

    /// Up to `limit` jobs in `state`, of one queue or all, oldest due first.
    func list(_ state: JobState, queue: String?, limit: Int) async throws -> [JobSummary] {
        try await backend.list(state, queue: queue, limit: limit)
    }

    /// Puts a dead job back in its queue with fresh attempts.
    func retryDead(id: String) async throws {
        guard try await backend.retryDead(id: id) else { throw JobError.notFound }
    }

    /// Puts every dead job back; their number.
    func retryAllDead() async throws -> Int {
        try await backend.retryAllDead()
    }

    /// Deletes every dead job; their number.
    func purgeDead() async throws -> Int {
        try await backend.purgeDead()
    }

    /// What the dashboard shows: every queue's figures, and up to `limit` jobs running, waiting
    /// after a failure, and dead.
    ///
    /// Waiting jobs that failed before are picked from the first ``retryScanLimit`` waiting ones
    /// (the backends filter by state only): with a deeper backlog, some may not be shown, though the
    /// figures count them.
    func overview(limit: Int) async throws -> JobsOverview {
        async let queues = backend.stats()
        async let running = backend.list(.running, queue: nil, limit: limit)
        async let waiting = backend.list(.queued, queue: nil, limit: Self.retryScanLimit)
        async let dead = backend.list(.dead, queue: nil, limit: limit)
        let retrying = try await waiting.filter { $0.attempt > 0 || $0.lastError != nil }
        return JobsOverview(
            queues: try await queues, running: try await running, retrying: Array(retrying.prefix(limit)), dead: try await dead)
    }

    /// How many waiting jobs ``overview(limit:)`` looks through for those that failed before.
    static let retryScanLimit = 1000
}

/// The state of the job queue at a glance: what ``JobsService/overview(limit:)`` returns.
struct JobsOverview: Sendable {
    var queues: [QueueStats]
    var running: [JobSummary]
    /// Waiting jobs that failed before (or came back from the dead-letter set): their last error says why.
    var retrying: [JobSummary]
    var dead: [JobSummary]
}
