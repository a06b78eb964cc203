import Crypto
import Foundation
import JWTKit
import TernPrimitives

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
///
/// Keys rotate without logging anyone out: the newest secret signs, and names itself in the header's
/// `kid`; older secrets still verify the tokens they signed (and untyped ones, which name no key)
/// until they are removed.
public struct TokenService: Sendable {
    /// The newest first: it signs.
    private let keys: [SigningKey]
    /// The header segment of the tokens this service signs, so that they are recognised without
    /// decoding (jwt-kit writes the header's fields in an order fixed for the process).
    private let issuedHeader: Substring?
    /// `iss` of the tokens issued, required of the tokens verified.
    public let issuer: String
    /// `aud` of the tokens issued, required of the tokens verified.
    public let audience: String
    /// How long access tokens stay valid.
    public let accessTokenLifetime: Duration
    private let verified = VerifiedTokens()

    /// - Parameters:
    ///   - secret: the signing secret. HS256 wants at least 32 bytes (RFC 7518); a shorter secret (a
    ///     development placeholder) is stretched with SHA-256 first, so it still works, but tokens
    ///     then verify only here.
    ///   - previousSecrets: secrets that signed before, newest first: they verify what they signed.
    ///   - issuer: `iss` of the tokens issued, required of the tokens verified.
    ///   - audience: `aud` of the tokens issued, required of the tokens verified.
    ///   - accessTokenLifetime: how long access tokens stay valid.
    public init(
        secret: String, previousSecrets: [String] = [], issuer: String = "tern", audience: String = "tern", accessTokenLifetime: Duration
    ) async {
        var keys: [SigningKey] = []
        for secret in [secret] + previousSecrets where !keys.contains(where: { $0.secret == secret }) {
            keys.append(await SigningKey(secret: secret))
        }
        self.keys = keys
        self.issuer = issuer
        self.audience = audience
        self.accessTokenLifetime = accessTokenLifetime
        let probe = try? await keys[0].sign(TokenClaims(exp: ExpirationClaim(value: .distantFuture)))
        issuedHeader = probe?.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false).first
    }

    /// The `kid` of the key that signs.
    public var signingKeyID: String { keys[0].id }

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
    ///   - type: what the token is for (`typ`).
    ///   - subject: whom it is about (`sub`): a user id, or an email for a password reset.
    ///   - lifetime: how long it stays valid from `now`.
    ///   - session: the session an access or refresh token belongs to (`sid`).
    ///   - stamp: a ``stamp(of:)`` of the state the token must not outlive (`stm`).
    ///   - scopes: the scopes an access token is limited to (`scope`); `nil` for no limit.
    ///   - now: when it is issued (`iat`, `nbf`).
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
        return IssuedToken(text: try await keys[0].sign(claims), id: id, expires: expires)
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
        keys[0].stamp(of: state)
    }

    /// Whether `stamp` is the stamp of `state`, by the signing key or an older one (a link sent
    /// before the keys rotated).
    public func stamp(_ stamp: String?, matches state: String) -> Bool {
        guard let stamp else { return false }
        return keys.contains { $0.stamp(of: state) == stamp }
    }

    // MARK: Verifying

    /// What a valid token of `type` says. Throws ``InvalidToken`` for a bad signature, another
    /// algorithm, an expired or not-yet-valid token, a token of another type or issuer or audience,
    /// or anything malformed.
    ///
    /// A token verified before is recognised by its text (`VerifiedTokens`), its times checked again.
    public func verify(_ token: String, as type: TokenType, now: Date = Date()) async throws(InvalidToken) -> VerifiedToken {
        let content: VerifiedToken
        if let known = verified.content(of: token, now: now) {
            content = known
        } else {
            let claims = try await verifiedClaims(of: token)
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

    /// The claims of a token whose signature one of the keys checks: the one its `kid` names, or
    /// for a token that names none (an untyped one), any of them.
    private func verifiedClaims(of token: String) async throws(InvalidToken) -> TokenClaims {
        let candidates: [SigningKey]
        if let issuedHeader, token.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false).first == issuedHeader {
            candidates = [keys[0]]
        } else {
            // Read without trusting anything else in the token: jwt-kit verifies with a key whatever
            // the header's `alg` says, so the pin is checked here.
            guard let header = try? DefaultJWTParser().parse(Array(token.utf8), as: TokenClaims.self).header, header.alg == "HS256"
            else { throw InvalidToken() }
            candidates = header.kid.map { kid in keys.filter { $0.id == kid } } ?? keys
        }
        for key in candidates {
            if let claims = try? await key.verify(token) { return claims }
        }
        throw InvalidToken()
    }
}

/// One secret: the JWT key it makes, named by a `kid` derived from it, and the key of its stamps.
private struct SigningKey: Sendable {
    let secret: String
    /// 16 hex digits of an HMAC of a fixed text under the key: the same secret is the same `kid` in
    /// every process, and the `kid` tells nothing of the secret.
    let id: String
    private let collection = JWTKeyCollection()
    private let stampKey: SymmetricKey

    init(secret: String) async {
        self.secret = secret
        let key = TokenService.signingKey(secret)
        id = HMAC<SHA256>.authenticationCode(for: Data("tern-key-id".utf8), using: key).prefix(8).map { String(format: "%02x", $0) }
            .joined()
        stampKey = SymmetricKey(data: HMAC<SHA256>.authenticationCode(for: Data("tern-token-stamp".utf8), using: key))
        await collection.add(hmac: HMACKey(key: key), digestAlgorithm: .sha256, kid: JWKIdentifier(string: id))
    }

    func sign(_ claims: TokenClaims) async throws -> String {
        try await collection.sign(claims, kid: JWKIdentifier(string: id))
    }

    func verify(_ token: String) async throws -> TokenClaims {
        try await collection.verify(token, as: TokenClaims.self)
    }

    func stamp(of state: String) -> String {
        Data(HMAC<SHA256>.authenticationCode(for: Data(state.utf8), using: stampKey)).prefix(16).base64URLEncoded
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
