import Crypto
import Foundation
import JWTKit

/// Issues and verifies the application's signed tokens (JWT, HS256 with the application's secret,
/// through jwt-kit), following RFC 8725: every token names its ``TokenType`` in `typ`, and carries
/// `iss`, `aud`, `iat` and a unique `jti`, all checked, so that no token is accepted where a token of
/// another type is expected.
///
/// Tokens issued before types existed (the reference template's: `sub` and `exp`, plus `nbf` for a
/// password reset) are accepted until they expire: one without `nbf` as an access token, one with
/// `nbf` and an email as subject as a password-reset token. Nothing else untyped is accepted.
///
/// The algorithm is pinned: a token whose header names anything but `HS256` (`none` included) is
/// refused before its signature is looked at. Expiry and not-before are checked.
public struct TokenService: Sendable {
    private let keys: JWTKeyCollection
    /// The header segment of the tokens this service signs, so that they are recognised as HS256
    /// without decoding (jwt-kit writes the header's fields in an order fixed for the process).
    private let issuedHeader: Substring?
    private let stampKey: SymmetricKey
    /// `iss` of the tokens issued, required of the tokens verified.
    public let issuer: String
    /// `aud` of the tokens issued, required of the tokens verified.
    public let audience: String
    /// How long access tokens stay valid.
    public let accessTokenLifetime: Duration
    private let verified = VerifiedTokens()

    /// - Parameter secret: the signing secret. HS256 wants at least 32 bytes (RFC 7518); a shorter
    ///   secret (a development placeholder) is stretched with SHA-256 first, so it still works, but
    ///   tokens then verify only here.
    public init(secret: String, issuer: String = "tern", audience: String = "tern", accessTokenLifetime: Duration) async {
        keys = JWTKeyCollection()
        let key = Self.signingKey(secret)
        await keys.add(hmac: HMACKey(key: key), digestAlgorithm: .sha256)
        stampKey = SymmetricKey(data: HMAC<SHA256>.authenticationCode(for: Data("tern-token-stamp".utf8), using: key))
        self.issuer = issuer
        self.audience = audience
        self.accessTokenLifetime = accessTokenLifetime
        let probe = try? await keys.sign(TokenClaims(exp: ExpirationClaim(value: .distantFuture)))
        issuedHeader = probe?.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false).first
    }

    /// The smallest secret used as it is.
    public static let minimumSecretLength = 32

    static func signingKey(_ secret: String) -> SymmetricKey {
        let bytes = Data(secret.utf8)
        guard bytes.count < minimumSecretLength else { return SymmetricKey(data: bytes) }
        return SymmetricKey(data: Data(SHA256.hash(data: bytes)))
    }

    // MARK: Issuing

    /// A token of `type` for `subject`, valid from now for `lifetime`.
    ///
    /// - Parameters:
    ///   - session: the session an access or refresh token belongs to (`sid`).
    ///   - stamp: a ``stamp(of:)`` of the state the token must not outlive (`stm`).
    ///   - scopes: the scopes an access token is limited to (`scope`); `nil` for no limit.
    public func issue(
        _ type: TokenType, subject: String, lifetime: Duration, session: String? = nil, stamp: String? = nil, scopes: [String]? = nil,
        now: Date = Date()
    ) async throws -> IssuedToken {
        let id = UUID().uuidString.lowercased()
        let issuedAt = Date(timeIntervalSince1970: now.timeIntervalSince1970.rounded(.down))
        let expires = issuedAt.addingTimeInterval(lifetime / .seconds(1)).rounded
        let claims = TokenClaims(
            typ: type.rawValue, sub: SubjectClaim(value: subject), iss: IssuerClaim(value: issuer), aud: AudienceClaim(value: [audience]),
            iat: IssuedAtClaim(value: issuedAt), nbf: NotBeforeClaim(value: issuedAt), exp: ExpirationClaim(value: expires),
            jti: IDClaim(value: id), sid: session, stm: stamp, scope: scopes?.joined(separator: " "))
        return IssuedToken(text: try await keys.sign(claims), id: id, expires: expires)
    }

    /// An access token for `subject` in `session`, limited to `scopes` (`nil`: no limit), valid for
    /// ``accessTokenLifetime``.
    public func accessToken(subject: String, session: String?, scopes: [String]? = nil, now: Date = Date()) async throws -> String {
        try await issue(.access, subject: subject, lifetime: accessTokenLifetime, session: session, scopes: scopes, now: now).text
    }

    /// A short keyed digest of some secret state (a password hash) for a token to carry: the token
    /// stops working when the state changes, without the state (or anything that helps guess it)
    /// leaving the server.
    public func stamp(of state: String) -> String {
        Data(HMAC<SHA256>.authenticationCode(for: Data(state.utf8), using: stampKey)).prefix(16).base64URLEncoded
    }

    // MARK: Verifying

    /// What a valid token of `type` says. Throws ``InvalidToken`` for a bad signature, another
    /// algorithm, an expired or not-yet-valid token, a token of another type or issuer or audience,
    /// or anything malformed.
    ///
    /// A token verified before is recognised by its text (``VerifiedTokens``), its times checked again.
    public func verify(_ token: String, as type: TokenType, now: Date = Date()) async throws(InvalidToken) -> VerifiedToken {
        let content: VerifiedToken
        if let known = verified.content(of: token, now: now) {
            content = known
        } else {
            guard algorithm(of: token) == "HS256" else { throw InvalidToken() }
            let claims: TokenClaims
            do {
                claims = try await keys.verify(token, as: TokenClaims.self)
            } catch {
                throw InvalidToken()
            }
            content = try self.content(of: claims, token: token)
            verified.remember(token, content, notBefore: claims.nbf?.value, now: now)
        }
        guard content.type == type, now < content.expires else { throw InvalidToken() }
        return content
    }

    private func content(of claims: TokenClaims, token: String) throws(InvalidToken) -> VerifiedToken {
        guard let subject = claims.sub?.value, !subject.isEmpty else { throw InvalidToken() }
        guard let typ = claims.typ else { return try legacyContent(of: claims, subject: subject, token: token) }
        guard let type = TokenType(rawValue: typ), claims.iss?.value == issuer, claims.aud?.value.contains(audience) == true,
            let id = claims.jti?.value, let issuedAt = claims.iat?.value
        else { throw InvalidToken() }
        return VerifiedToken(
            type: type, subject: subject, id: id, session: claims.sid, issuedAt: issuedAt, expires: claims.exp.value, stamp: claims.stm,
            scopes: claims.scope.map { $0.split(separator: " ").map(String.init) }, isLegacy: false)
    }

    /// The reference template's tokens: `{"exp", "sub": user id}` to access, `{"exp", "nbf", "sub":
    /// email}` to reset a password. Any other claim means it is not one of them.
    private func legacyContent(of claims: TokenClaims, subject: String, token: String) throws(InvalidToken) -> VerifiedToken {
        guard claims.iss == nil, claims.aud == nil, claims.iat == nil, claims.jti == nil, claims.sid == nil, claims.stm == nil,
            claims.scope == nil
        else {
            throw InvalidToken()
        }
        let type: TokenType
        switch claims.nbf {
        case nil: type = .access
        case _? where subject.contains("@"): type = .passwordReset
        default: throw InvalidToken()
        }
        return VerifiedToken(
            type: type, subject: subject, id: token.sha256Hex, session: nil, issuedAt: claims.nbf?.value, expires: claims.exp.value,
            stamp: nil, scopes: nil, isLegacy: true)
    }

    /// The `alg` of a token's header, read without trusting anything else in the token (jwt-kit
    /// signs and verifies with the one key whatever the header says, so the pin is checked here).
    private func algorithm(of token: String) -> String? {
        if let issuedHeader, token.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false).first == issuedHeader {
            return "HS256"
        }
        return try? DefaultJWTParser().parse(Array(token.utf8), as: TokenClaims.self).header.alg
    }
}

/// A token just signed: its text, its `jti` and its expiry.
public struct IssuedToken: Sendable {
    public let text: String
    public let id: String
    public let expires: Date
}

/// A token that is not valid: wrong signature or algorithm, expired, of another type, or malformed.
public struct InvalidToken: Error, Sendable {}

extension Date {
    /// Whole seconds, as JWT times are written.
    fileprivate var rounded: Date { Date(timeIntervalSince1970: timeIntervalSince1970.rounded(.down)) }
}
