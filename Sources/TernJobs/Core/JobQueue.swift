import Foundation
import TernDatabase
import TernPrimitives

/// Enqueues typed jobs: what routers and services hold.
///
/// ```swift
/// try await jobs.enqueue(SendWelcomeEmail(userID: user.id), in: session)   // with the unit of work
/// try await jobs.enqueue(RebuildSearchIndex(), options: .runIn(.seconds(30)))
/// ```
///
/// `enqueue(_:options:in:)` writes the job in the caller's transaction: if it rolls back, nothing was
/// enqueued; once it commits, the job will run (with the Redis backend it goes through an outbox row
/// that a relay moves to the stream).
public struct JobQueue: Sendable {
    public let backend: any JobBackend
    /// Attempts of a job whose type and options do not say (`JOBS_MAX_ATTEMPTS`).
    public let defaultMaxAttempts: Int

    public init(backend: any JobBackend, defaultMaxAttempts: Int = JobDefaults.maxAttempts) {
        self.backend = backend
        self.defaultMaxAttempts = defaultMaxAttempts
    }

    /// Enqueues `job` now, outside any transaction; its id (for a unique key already taken, the id of
    /// the job holding it).
    @discardableResult
    public func enqueue<J: Job>(_ job: J, options: JobOptions = JobOptions()) async throws -> String {
        try await backend.enqueue([envelope(job, options)])[0]
    }

    /// Enqueues many jobs in one round trip.
    @discardableResult
    public func enqueue<J: Job>(_ jobs: [J], options: JobOptions = JobOptions()) async throws -> [String] {
        try await backend.enqueue(jobs.map { try envelope($0, options) })
    }

    /// Enqueues `job` in the caller's transaction (a request's unit of work, or a `Transaction`); its
    /// id. A unique key is checked when the job reaches the queue, after the commit.
    @discardableResult
    public func enqueue<J: Job>(_ job: J, options: JobOptions = JobOptions(), in transaction: any Queryable) async throws -> String {
        let envelope = try envelope(job, options)
        try await backend.enqueue([envelope], in: transaction)
        return envelope.id
    }

    func envelope<J: Job>(_ job: J, _ options: JobOptions) throws -> JobEnvelope {
        let now = currentMilliseconds()
        let queue = options.queue ?? J.queue
        return JobEnvelope(
            id: UUID().uuidString.lowercased(), name: J.name, queue: queue.name, priority: queue.priority,
            payload: try JobPayload.encode(job), attempt: 0,
            maxAttempts: max(1, options.maxAttempts ?? J.maxAttempts ?? defaultMaxAttempts),
            timeoutMilliseconds: J.timeout.map(\.wholeMilliseconds), uniqueKey: options.uniqueKey,
            runAt: options.runAt.map { Int64(($0.timeIntervalSince1970 * 1000).rounded()) } ?? now, enqueuedAt: now)
    }
}
