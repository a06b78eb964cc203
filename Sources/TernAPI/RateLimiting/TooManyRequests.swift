import HTTPTypes
import TernRateLimit

/// A request over a rate limit: 429 `{"detail": "Too Many Requests"}`, with `Retry-After` in whole
/// seconds (at least 1) and the rate-limit headers. Thrown by the API for declared limits, and by
/// services for limits of their own (failed logins per account).
public struct TooManyRequests: Error, APIErrorConvertible {
    public let retryAfter: Duration
    let headers: HTTPFields

    public init(retryAfter: Duration, headers: HTTPFields = [:]) {
        self.retryAfter = retryAfter
        self.headers = headers
    }

    /// A refusal by a limiter, with the headers of that decision.
    public init(_ decision: RateLimitDecision, name: String) {
        let policy = RateLimitHeaders.Policy(name: name, limits: decision.states.map(\.limit))
        self.init(retryAfter: decision.retryAfter, headers: RateLimitHeaders.fields(for: [(policy, decision)]))
    }

    public var apiError: APIError {
        var headers = headers
        headers[.retryAfter] = String(RateLimitHeaders.wholeSeconds(retryAfter))
        return APIError(.tooManyRequests, headers: headers)
    }

    /// What the docs show: every header a 429 may carry (for `errors:` lists of operations and dependencies).
    public static let documented = TooManyRequests(retryAfter: .seconds(1), headers: RateLimitHeaders.documentedFields)
}
