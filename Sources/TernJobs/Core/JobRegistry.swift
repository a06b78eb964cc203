import Foundation
import Logging

/// The jobs a worker can run: each job type with its handler, and the periodic schedules.
///
/// Generic over the services handlers receive (the app's database, Redis client, mailer...), which
/// the compiler checks at registration; the worker sees only the type-erased ``JobHandlers``.
///
/// ```swift
/// var registry = JobRegistry(services: services)
/// registry.register(SendEmail.self) { job, context in
///     try await context.services.mailer.send(job.message)
/// }
/// try registry.schedule(PurgeExpiredTokens(), cron: "*/15 * * * *")
/// ```
public struct JobRegistry<Services: Sendable>: Sendable {
    public let services: Services
    public private(set) var handlers = JobHandlers()

    public init(services: Services) {
        self.services = services
    }

    /// Registers the handler of `type`; a second registration of the same name replaces the first.
    public mutating func register<J: Job>(
        _ type: J.Type, handler: @escaping @Sendable (J, JobContext<Services>) async throws -> Void
    ) {
        let services = services
        handlers.entries[J.name] = JobHandlers.Entry(queue: J.queue) { claimed, logger in
            let job: J
            do {
                job = try JSONDecoder().decode(J.self, from: Data(claimed.envelope.payload.utf8))
            } catch {
                throw JobFailure.permanent("the payload does not decode as \(J.self): \(error)")
            }
            let context = JobContext(
                jobID: claimed.id, jobName: J.name, attempt: claimed.attempt, maxAttempts: claimed.envelope.maxAttempts,
                services: services, workerLogger: logger)
            try await handler(job, context)
        }
    }

    /// Enqueues `job` once per tick of `cron` (five fields, UTC), whatever the number of workers.
    /// The job type must be registered too.
    public mutating func schedule<J: Job>(_ job: J, cron: String, name: String? = nil) throws {
        let schedule = try CronSchedule(cron)
        handlers.schedules.append(
            PeriodicJob(name: name ?? J.name, schedule: schedule, queue: J.queue, jobName: J.name, payload: try JobPayload.encode(job)))
    }
}

/// Type-erased handlers by job name, and the periodic jobs: what a ``JobWorker`` runs.
public struct JobHandlers: Sendable {
    struct Entry: Sendable {
        let queue: JobQueueName
        let run: @Sendable (ClaimedJob, Logger) async throws -> Void
    }

    var entries: [String: Entry] = [:]
    var schedules: [PeriodicJob] = []

    public init() {}

    /// The queues of the registered jobs, highest priority first: what a worker serves by default.
    public var queues: [JobQueueName] {
        Set(entries.values.map(\.queue)).sorted { ($0.priority, $1.name) > ($1.priority, $0.name) }
    }

    /// The names of the registered jobs.
    public var names: [String] { entries.keys.sorted() }
}

/// Thrown by a handler (or the worker) for a failure that another attempt cannot fix: the job goes
/// to the dead-letter set at once instead of being retried.
public struct JobFailure: Error, CustomStringConvertible {
    public let description: String
    public let isPermanent: Bool

    public static func permanent(_ reason: String) -> JobFailure {
        JobFailure(description: reason, isPermanent: true)
    }
}

enum JobPayload {
    static func encode(_ job: some Job) throws -> String {
        String(decoding: try JSONEncoder().encode(job), as: UTF8.self)
    }
}
