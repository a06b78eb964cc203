import Foundation

/// What a valid token says: its type, subject and identity, as ``TokenService/verify(_:as:now:)``
/// found them.
public struct VerifiedToken: Sendable, Equatable {
    public let type: TokenType
    /// The user id of an access or refresh token, the email of a password-reset token.
    public let subject: String
    /// The token's `jti`, unique per token; for a legacy token (which has none), the SHA-256 of its
    /// text in hex, so that it can still be used once only.
    public let id: String
    /// The session (a refresh-token family) an access or refresh token belongs to.
    public let session: String?
    /// When it was issued (`iat`; for a legacy password-reset token, its `nbf`).
    public let issuedAt: Date?
    public let expires: Date
    /// The ``TokenService/stamp(of:)`` of the state the token was issued against (a password-reset
    /// token: the password hash it replaces).
    public let stamp: String?
    /// The scopes an access token is limited to; `nil` when it is not limited (a login that
    /// requested no scope, a legacy token).
    public let scopes: [String]?
    /// Issued before tokens were typed: `sub` and `exp` only (and `nbf` for a password reset), as
    /// the reference template issues them. Accepted until they expire.
    public let isLegacy: Bool
}
