import TernAPI
import TernAuth

// The rate limits routes declare, their figures from `RATE_LIMIT_*` (``RateLimitSettings``), and
// what each counts by.

extension RateLimitRule {
    /// `RATE_LIMIT_DEFAULT`: every operation, per user (whose tokens `tokens` verifies) or client address.
    static func `default`(tokens: TokenService) -> RateLimitRule {
        RateLimitRule("default", \AppServices.settings.rateLimits.default, by: .userOrClientAddress(tokens))
    }
    /// `RATE_LIMIT_LOGIN`: login attempts per client address.
    static let login = RateLimitRule("login", \AppServices.settings.rateLimits.login)
    /// `RATE_LIMIT_SIGNUP`: sign-ups per client address.
    static let signup = RateLimitRule("signup", \AppServices.settings.rateLimits.signup)
    /// `RATE_LIMIT_PASSWORD_RECOVERY`, per client address and per email asked about.
    static let passwordRecovery = RateLimitRule("password-recovery", \AppServices.settings.rateLimits.passwordRecovery)
    /// Verification emails sent on request: as many as recovery emails.
    static let verificationEmail = RateLimitRule("verification-email", \AppServices.settings.rateLimits.passwordRecovery)
    static let passwordRecoveryPerEmail = RateLimitRule(
        "password-recovery-email", \AppServices.settings.rateLimits.passwordRecovery, by: .emailInPath)
}

extension RateLimitKey {
    /// The user a valid bearer token names, else the client's address: a user keeps their allowance
    /// across addresses, and users behind one address do not share it.
    static func userOrClientAddress(_ tokens: TokenService) -> RateLimitKey {
        RateLimitKey("user-or-ip") { scope in
            if let token = OAuth2PasswordBearer.token(in: scope.request), let subject = try? await tokens.verify(token, as: .access).subject
            {
                return "user:" + subject
            }
            return "ip:" + (scope.request.clientAddress ?? "unknown")
        }
    }

    /// The `{email}` of the path, as login matches emails.
    static let emailInPath = RateLimitKey("email") { scope in
        scope.request.pathParameters["email"].map { AccountKey(email: $0).value }
    }
}
