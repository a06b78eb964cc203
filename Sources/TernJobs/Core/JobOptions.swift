import Foundation
import TernPrimitives

/// How one job is enqueued, beyond what its type says.
public struct JobOptions: Sendable {
    /// When the job may run; `nil` is now.
    public var runAt: Date?
    /// Deduplication: while a job with this key is waiting or running, enqueueing another with the
    /// same key enqueues nothing and returns the first one's id.
    public var uniqueKey: String?
    /// Overrides the type's and the queue's number of attempts.
    public var maxAttempts: Int?
    /// Overrides the type's queue.
    public var queue: JobQueueName?

    public init(runAt: Date? = nil, uniqueKey: String? = nil, maxAttempts: Int? = nil, queue: JobQueueName? = nil) {
        self.runAt = runAt
        self.uniqueKey = uniqueKey
        self.maxAttempts = maxAttempts
        self.queue = queue
    }

    /// Runs the job once `delay` has passed.
    public static func runIn(_ delay: Duration, uniqueKey: String? = nil) -> JobOptions {
        JobOptions(runAt: Date().addingTimeInterval(delay.timeInterval), uniqueKey: uniqueKey)
    }

    /// Runs the job at `date`.
    public static func runAt(_ date: Date, uniqueKey: String? = nil) -> JobOptions {
        JobOptions(runAt: date, uniqueKey: uniqueKey)
    }

    /// At most one such job waiting or running at a time.
    public static func unique(_ key: String) -> JobOptions {
        JobOptions(uniqueKey: key)
    }
}
