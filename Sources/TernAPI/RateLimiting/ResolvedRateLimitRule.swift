import TernRateLimit

/// A rule with its limits read from the API's context, at install.
struct ResolvedRateLimitRule: Sendable {
    let name: String
    let limits: [RateLimit]
    let key: RateLimitKey
}
