/// Decides whether an event identified by a key (a client address, a user, an account) may happen
/// now under a set of limits, and records it when it may. Implementations: ``InProcessRateLimiter``
/// (one process; what serves when there is no Redis) and a Redis one shared by every process.
public protocol RateLimiter: Sendable {
    /// Admits the event under every limit, or under none of them (a refused event uses none up).
    func admit(_ key: String, under limits: [RateLimit]) async throws -> RateLimitDecision
}

/// What a limiter decided, with what the answer's rate-limit headers tell the client.
public struct RateLimitDecision: Sendable, Equatable {
    public let admitted: Bool
    /// Each limit's state after the decision, in the order the limits were given.
    public let states: [LimitState]
    /// Until the event would pass, when refused.
    public let retryAfter: Duration

    public struct LimitState: Sendable, Equatable {
        public let limit: RateLimit
        public let remaining: Int
        public let resetAfter: Duration
    }

    init(limits: [RateLimit], outcomes: [GCRA.Outcome]) {
        admitted = outcomes.allSatisfy(\.admitted)
        states = zip(limits, outcomes).map { LimitState(limit: $0, remaining: $1.remaining, resetAfter: $1.resetAfter) }
        retryAfter = outcomes.map(\.retryAfter).max() ?? .zero
    }
}
