import TernRateLimit

/// A rule with its limits read from the API's context, at install, and what every request under it
/// shares worked out then: the start of its keys and its part of the headers.
struct ResolvedRateLimitRule: Sendable {
    let name: String
    let limits: [RateLimit]
    let key: RateLimitKey
    /// `{rule}:{key kind}:`, before each request's key.
    let keyPrefix: String
    let policy: RateLimitHeaders.Policy

    init(name: String, limits: [RateLimit], key: RateLimitKey) {
        self.name = name
        self.limits = limits
        self.key = key
        keyPrefix = "\(name):\(key.kind):"
        policy = RateLimitHeaders.Policy(name: name, limits: limits)
    }
}
