/// A unit of work run by a worker, outside the request that asked for it: a `Codable` payload with a
/// name it is registered and stored under.
///
/// ```swift
/// struct SendWelcomeEmail: Job {
///     static let name = "send-welcome-email"
///     var userID: UUID
///     var locale: String?   // added later: payloads stored before it decode with nil
/// }
/// ```
///
/// The payload is stored as JSON. A payload written by an older version of the type decodes as long
/// as fields added since are optional (unknown fields are ignored), so jobs survive a deploy.
public protocol Job: Codable, Sendable {
    /// The name handlers are registered under; stored with each job, so it must not change once jobs
    /// of this kind may be waiting.
    static var name: String { get }
    /// The queue jobs of this kind go to (``JobQueueName/default`` unless said otherwise).
    static var queue: JobQueueName { get }
    /// Attempts before the job is dead-lettered; `nil` takes the queue's default (`JOBS_MAX_ATTEMPTS`).
    static var maxAttempts: Int? { get }
    /// How long one attempt may run before it counts as failed; `nil` takes the worker's default.
    static var timeout: Duration? { get }
}

extension Job {
    public static var queue: JobQueueName { .default }
    public static var maxAttempts: Int? { nil }
    public static var timeout: Duration? { nil }
}

/// A named queue and its priority: a worker takes due jobs from higher-priority queues first.
///
/// ```swift
/// extension JobQueueName {
///     static let emails = JobQueueName("emails", priority: 10)
/// }
/// ```
public struct JobQueueName: Sendable, Hashable, CustomStringConvertible {
    public let name: String
    public let priority: Int

    public init(_ name: String, priority: Int = 0) {
        self.name = name
        self.priority = priority
    }

    public static let `default` = JobQueueName("default")

    public var description: String { name }
}
