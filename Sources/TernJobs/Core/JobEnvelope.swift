import Foundation

/// A job as both backends store it: what to run (name and JSON payload), where (queue, priority),
/// and its delivery state (attempts so far, limits, uniqueness).
public struct JobEnvelope: Codable, Sendable, Hashable {
    public var id: String
    public var name: String
    public var queue: String
    public var priority: Int
    /// The payload as JSON text.
    public var payload: String
    /// Attempts made before this delivery; the first run is attempt 1.
    public var attempt: Int
    public var maxAttempts: Int
    /// Milliseconds one attempt may take, if the job says.
    public var timeoutMilliseconds: Int64?
    /// While a job with this key is waiting or running, enqueueing another with it returns the first.
    public var uniqueKey: String?
    /// When it may run, in milliseconds since 1970.
    public var runAt: Int64
    public var enqueuedAt: Int64
    /// Why the last attempt failed, when one did.
    public var lastError: String?

    enum CodingKeys: String, CodingKey {
        case id, name, queue, priority, payload, attempt
        case maxAttempts = "max_attempts"
        case timeoutMilliseconds = "timeout_ms"
        case uniqueKey = "unique_key"
        case runAt = "run_at"
        case enqueuedAt = "enqueued_at"
        case lastError = "last_error"
    }

    /// The envelope as one line of JSON, as the Redis backend and the outbox store it.
    public func encoded() -> String {
        // Encoding a struct of strings and integers cannot fail.
        String(decoding: try! JSONEncoder().encode(self), as: UTF8.self)
    }

    public static func decode(_ text: String) throws -> JobEnvelope {
        try JSONDecoder().decode(JobEnvelope.self, from: Data(text.utf8))
    }
}

/// Milliseconds since 1970, the time unit of the job tables and of Redis scores.
public func currentMilliseconds() -> Int64 {
    Int64((Date().timeIntervalSince1970 * 1000).rounded())
}
