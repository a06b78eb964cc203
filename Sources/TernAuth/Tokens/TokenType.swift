/// What a token is for, written in its `typ` claim (RFC 8725 §3.11: explicit typing, so that a
/// token of one kind is never accepted where another is expected).
public enum TokenType: String, Sendable, CaseIterable {
    /// Authenticates requests (`Authorization: Bearer`).
    case access
    /// Obtains a new access and refresh token pair, once.
    case refresh
    /// Sets a new password, from the link of a recovery email.
    case passwordReset = "password_reset"
    /// Confirms an email address, from the link of a verification email.
    case emailVerification = "email_verification"
}
