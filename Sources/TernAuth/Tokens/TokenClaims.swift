import JWTKit

/// The claims of the tokens ``TokenService`` issues, and of the legacy ones it still accepts
/// (`sub`, `exp`, and `nbf` for a password reset).
struct TokenClaims: JWTPayload {
    /// The ``TokenType``; absent from legacy tokens.
    var typ: String?
    var sub: SubjectClaim?
    var iss: IssuerClaim?
    var aud: AudienceClaim?
    var iat: IssuedAtClaim?
    var nbf: NotBeforeClaim?
    var exp: ExpirationClaim
    var jti: IDClaim?
    /// The session of an access or refresh token.
    var sid: String?
    /// The stamp of the state a token was issued against.
    var stm: String?
    /// The scopes an access token is limited to, space-separated (RFC 9068 §2.2.3); absent, the
    /// token is limited only by what its user may do.
    var scope: String?

    /// Times only; the service checks the rest, which depends on the type.
    func verify(using algorithm: some JWTAlgorithm) async throws {
        try exp.verifyNotExpired()
        try nbf?.verifyNotBefore()
    }
}
