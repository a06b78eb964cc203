/// Decides whether an event identified by a key (a client address, a user, an account) may happen
/// now under a set of limits, and records it when it may. Implementations: ``InProcessRateLimiter``
/// (one process; what serves when there is no Redis) and ``RedisRateLimiter``, shared by every process.
public protocol RateLimiter: Sendable {
    /// The decision for one event under every limit: admitted under all of them or under none (a
    /// refused event uses none up). With `recording` false, the limits are only looked at: nothing is
    /// used up either way (is this account locked? without counting the question as an attempt).
    func decide(_ key: String, under limits: [RateLimit], recording: Bool) async throws -> RateLimitDecision
}

extension RateLimiter {
    /// Admits the event if every limit allows it, and records it.
    public func admit(_ key: String, under limits: [RateLimit]) async throws -> RateLimitDecision {
        try await decide(key, under: limits, recording: true)
    }

    /// Whether the event would be admitted now, recording nothing.
    public func check(_ key: String, under limits: [RateLimit]) async throws -> RateLimitDecision {
        try await decide(key, under: limits, recording: false)
    }
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
