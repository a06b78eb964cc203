import Logging
import TernAPI
import TernPrimitives
import TernRateLimit

/// `RATE_LIMIT_LOGIN_FAILURES`: failed logins counted per account, in every process; once they are
/// used up, the account answers 429 to every attempt, the right password included, until the
/// window frees. A guesser spread over many addresses still gets only so many tries per account.
struct LoginThrottle: Sendable {
    let limiter: any RateLimiter
    let limits: [RateLimit]
    /// What happens when the limiter cannot answer (Redis down): `RATE_LIMIT_FAIL_OPEN`.
    let failOpen: Bool
    let outage: OutageLog

    static let ruleName = "login-failures"

    /// Refuses the attempt while the account's failures are used up.
    func check(email: String, logger: Logger) async throws {
        guard !limits.isEmpty else { return }
        let decision = try await limited(logger: logger) { try await limiter.check(key(email), under: limits) }
        if let decision, !decision.admitted { throw TooManyRequests(decision, name: Self.ruleName) }
    }

    /// Counts a failed attempt.
    func recordFailure(email: String, logger: Logger) async throws {
        guard !limits.isEmpty else { return }
        _ = try await limited(logger: logger) { try await limiter.admit(key(email), under: limits) }
    }

    private func key(_ email: String) -> String { "\(Self.ruleName):\(AccountKey(email: email).value)" }

    private func limited(logger: Logger, _ decide: () async throws -> RateLimitDecision) async throws -> RateLimitDecision? {
        do {
            let decision = try await decide()
            outage.recovered(logger: logger)
            return decision
        } catch {
            outage.failed(error, logger: logger)
            if failOpen { return nil }
            throw APIError(.serviceUnavailable, headers: [.retryAfter: "1"])
        }
    }
}
