import TernRateLimit
import TernSettings

/// `RATE_LIMIT_*`: how often clients may call the API, in the notation of slowapi and `limits`
/// (`"5/minute"`, `"100 per hour"`, `"10/15 minutes"`, several joined by `;`). An empty value turns
/// one limit off; `RATE_LIMIT_ENABLED=false` turns them all off.
///
/// The defaults stop brute force and floods without getting in the way of a person, a frontend, or
/// a test suite logging in dozens of times a minute (the reference template's own).
public struct RateLimitSettings: Sendable {
    /// `RATE_LIMIT_ENABLED`: whether any of these limits applies.
    public var enabled: Bool
    /// `RATE_LIMIT_DEFAULT`: every operation, per user when authenticated, else per client address.
    public var `default`: [RateLimit]
    /// `RATE_LIMIT_LOGIN`: login attempts per client address.
    public var login: [RateLimit]
    /// `RATE_LIMIT_LOGIN_FAILURES`: failed logins per account; past them, the account answers 429,
    /// even to the right password, until the window frees.
    public var loginFailures: [RateLimit]
    /// `RATE_LIMIT_SIGNUP`: sign-ups per client address.
    public var signup: [RateLimit]
    /// `RATE_LIMIT_PASSWORD_RECOVERY`: recovery emails asked for, per email and per client address.
    public var passwordRecovery: [RateLimit]
    /// `RATE_LIMIT_FAIL_OPEN`: when Redis is down, requests go ahead unlimited (logged
    /// and counted); false: they get 503.
    public var failOpen: Bool

    static func read(_ reader: inout SettingsReader) -> RateLimitSettings {
        RateLimitSettings(
            enabled: reader.boolean("RATE_LIMIT_ENABLED", default: true),
            default: limits("RATE_LIMIT_DEFAULT", default: "600/minute", &reader),
            login: limits("RATE_LIMIT_LOGIN", default: "120/minute", &reader),
            loginFailures: limits("RATE_LIMIT_LOGIN_FAILURES", default: "30/15 minutes", &reader),
            signup: limits("RATE_LIMIT_SIGNUP", default: "60/hour", &reader),
            passwordRecovery: limits("RATE_LIMIT_PASSWORD_RECOVERY", default: "30/hour", &reader),
            failOpen: reader.boolean("RATE_LIMIT_FAIL_OPEN", default: true))
    }

    /// Set to the empty string: no limit.
    private static func limits(_ key: String, default defaultValue: String, _ reader: inout SettingsReader) -> [RateLimit] {
        if reader.isSet(key), reader.raw(key) == nil { return [] }
        return reader.parsed(key, default: defaultValue) { text in
            guard let limits = RateLimit.parseList(text) else { throw InvalidNotation(text: text) }
            return limits
        } ?? []
    }

    private struct InvalidNotation: Error, CustomStringConvertible {
        let text: String
        var description: String {
            "'\(text)' is not a rate limit: write '5/minute', '100 per hour' or '10/15 minutes', several joined by ';'"
        }
    }
}
