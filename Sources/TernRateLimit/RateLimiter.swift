/// Decides whether an event may happen now under limits counted per key (a client address, a user,
/// an account), and records it when it may. Implementations: ``InProcessRateLimiter`` (one process;
/// what serves when there is no Redis) and the Redis one in `TernRedis`, shared by every process.
public protocol RateLimiter: Sendable {
    /// The decision for one event counted under several keys, each with its limits: admitted under
    /// all of them, or recorded under none (a refused event uses nothing up). With `recording` false,
    /// the limits are only looked at (is this account locked? without counting the question).
    /// One decision per count, in order.
    func decide(_ counts: [RateLimitCount], recording: Bool) async throws -> [RateLimitDecision]
}

/// A key and the limits an event is counted under for it.
public struct RateLimitCount: Sendable, Hashable {
    public let key: String
    public let limits: [RateLimit]

    public init(_ key: String, _ limits: [RateLimit]) {
        self.key = key
        self.limits = limits
    }
}

extension RateLimiter {
    /// Admits the event if every limit of `key` allows it, and records it.
    public func admit(_ key: String, under limits: [RateLimit]) async throws -> RateLimitDecision {
        try await decide([RateLimitCount(key, limits)], recording: true)[0]
    }

    /// Whether the event would be admitted now under the limits of `key`, recording nothing.
    public func check(_ key: String, under limits: [RateLimit]) async throws -> RateLimitDecision {
        try await decide([RateLimitCount(key, limits)], recording: false)[0]
    }
}

/// What a limiter decided for one key, with what the answer's rate-limit headers tell the client.
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

    init(limits: [RateLimit], outcomes: some Collection<GCRA.Outcome>) {
        admitted = outcomes.allSatisfy(\.admitted)
        states = zip(limits, outcomes).map { LimitState(limit: $0, remaining: $1.remaining, resetAfter: $1.resetAfter) }
        retryAfter = outcomes.map(\.retryAfter).max() ?? .zero
    }

    /// The decisions of one event counted under `counts`, from the outcomes of all their limits in
    /// order (as ``GCRA/outcomes(of:storedTATs:now:)`` computes them, all at once).
    package static func split(_ outcomes: [GCRA.Outcome], among counts: [RateLimitCount]) -> [RateLimitDecision] {
        var start = 0
        return counts.map { count in
            defer { start += count.limits.count }
            return RateLimitDecision(limits: count.limits, outcomes: outcomes[start..<(start + count.limits.count)])
        }
    }
}
