import HTTPTypes
import Logging
import TernPrimitives
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
    /// Whether a request goes ahead when the limiter fails (Redis down): logged once per outage and
    /// counted; otherwise it gets 503.
    public var failOpen: Bool
    let outage = OutageLog(name: "rate limiter")

    public init(limiter: any RateLimiter, defaultRule: RateLimitRule? = nil, failOpen: Bool = true) {
        self.limiter = limiter
        self.defaultRule = defaultRule
        self.failOpen = failOpen
    }

    /// Counts the request under every rule; the headers to answer with, or ``TooManyRequests``.
    func enforce(_ rules: [ResolvedRateLimitRule], in scope: RequestScope) async throws -> HTTPFields {
        var decisions: [(name: String, decision: RateLimitDecision)] = []
        for rule in rules {
            guard let key = try await rule.key.value(scope) else { continue }
            do {
                let decision = try await limiter.admit("\(rule.name):\(rule.key.kind):\(key)", under: rule.limits)
                outage.recovered(logger: scope.logger)
                decisions.append((rule.name, decision))
            } catch {
                outage.failed(error, logger: scope.logger)
                if !failOpen { throw APIError(.serviceUnavailable, headers: [.retryAfter: "1"]) }
            }
        }
        let headers = RateLimitHeaders.fields(for: decisions)
        if let refused = decisions.map(\.decision).filter({ !$0.admitted }).max(by: { $0.retryAfter < $1.retryAfter }) {
            throw TooManyRequests(retryAfter: refused.retryAfter, headers: headers)
        }
        return headers
    }
}

/// A rule with its limits read from the API's context, at install.
struct ResolvedRateLimitRule: Sendable {
    let name: String
    let limits: [RateLimit]
    let key: RateLimitKey
}
