import Logging
import TernAPI
import TernRateLimit

/// `RATE_LIMIT_LOGIN_FAILURES`: failed logins counted per account, in every process; once they are
/// used up, the account answers 429 to every attempt, the right password included, until the
/// window frees. A guesser spread over many addresses still gets only so many tries per account.
///
/// Attempts running at once are checked before any of them fails, so a burst can pass the limit by
/// as many as hash at once (`PASSWORD_HASH_CONCURRENCY`); the lock holds from then on.
struct LoginThrottle: Sendable {
    let limiter: any RateLimiter
    let limits: [RateLimit]
    /// What happens when the limiter cannot answer (Redis down): `RATE_LIMIT_FAIL_OPEN`.
    let failurePolicy: LimiterFailurePolicy

    static let ruleName = "login-failures"

    /// Refuses the attempt while the account's failures are used up.
    func check(email: String, logger: Logger) async throws {
        guard !limits.isEmpty else { return }
        let decision = try await failurePolicy.guarding(logger: logger) { try await limiter.check(key(email), under: limits) }
        if let decision, !decision.admitted { throw TooManyRequests(decision, name: Self.ruleName) }
    }

    /// Counts a failed attempt.
    func recordFailure(email: String, logger: Logger) async throws {
        guard !limits.isEmpty else { return }
        _ = try await failurePolicy.guarding(logger: logger) { try await limiter.admit(key(email), under: limits) }
    }

    private func key(_ email: String) -> String { "\(Self.ruleName):\(AccountKey(email: email).value)" }
}
