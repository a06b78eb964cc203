import HTTPTypes
import Logging
import TernRateLimit

/// How an API enforces its rate limits: the limiter (in-process, or Redis shared by every process),
/// the rule every operation gets, and what happens when the limiter cannot answer.
///
/// ```swift
/// api.rateLimiting = RateLimiting(
///     limiter: RedisRateLimiter(redis: redis),
///     defaultRule: RateLimitRule("default", [RateLimit(600, per: .seconds(60))]))
/// ```
public struct RateLimiting: Sendable {
    public var limiter: any RateLimiter
    /// The rule of every operation, before its group's and its own.
    public var defaultRule: RateLimitRule?
    /// Whether a request goes ahead when the limiter fails.
    public var failurePolicy: LimiterFailurePolicy

    public init(limiter: any RateLimiter, defaultRule: RateLimitRule? = nil, failOpen: Bool = true) {
        self.limiter = limiter
        self.defaultRule = defaultRule
        failurePolicy = LimiterFailurePolicy(failOpen: failOpen)
    }

    /// Counts the request under every rule at once (refused by one, it uses none of the others up);
    /// the headers to answer with, or ``TooManyRequests``.
    func enforce(_ rules: [ResolvedRateLimitRule], in scope: RequestScope) async throws -> HTTPFields {
        var policies: [RateLimitHeaders.Policy] = []
        var counts: [RateLimitCount] = []
        for rule in rules {
            guard let key = try await rule.key.value(scope) else { continue }
            policies.append(rule.policy)
            counts.append(RateLimitCount(rule.keyPrefix + key, rule.limits))
        }
        guard !counts.isEmpty,
            let decisions = try await failurePolicy.guarding(logger: scope.logger, { try await limiter.decide(counts, recording: true) })
        else { return [:] }
        var pairs: [(policy: RateLimitHeaders.Policy, decision: RateLimitDecision)] = []
        pairs.reserveCapacity(decisions.count)
        for (policy, decision) in zip(policies, decisions) { pairs.append((policy, decision)) }
        let headers = RateLimitHeaders.fields(for: pairs)
        if decisions.contains(where: { !$0.admitted }) {
            throw TooManyRequests(retryAfter: decisions.map(\.retryAfter).max() ?? .seconds(1), headers: headers)
        }
        return headers
    }
}
