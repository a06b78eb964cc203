import Crypto
import Foundation
import JWTKit

/// Issues and verifies signed tokens (JWT, HS256 with the application's secret, through jwt-kit):
/// access tokens whose subject is a user id, and password-reset tokens whose subject is an email.
///
/// The algorithm is pinned: a token whose header names anything but `HS256` (`none` included) is
/// refused before its signature is looked at. Expiry and not-before are checked.
public struct TokenService: Sendable {
    private let keys: JWTKeyCollection
    /// The header segment of the tokens this service signs, so that they are recognised as HS256
    /// without decoding (jwt-kit writes the header's fields in an order fixed for the process).
    private let issuedHeader: Substring?
    /// How long access tokens stay valid.
    public let accessTokenLifetime: Duration
    private let verified = VerifiedTokens()

    /// - Parameter secret: the signing secret. HS256 wants at least 32 bytes (RFC 7518); a shorter
    ///   secret (a development placeholder) is stretched with SHA-256 first, so it still works, but
    ///   tokens then verify only here.
    public init(secret: String, accessTokenLifetime: Duration) async {
        keys = JWTKeyCollection()
        await keys.add(hmac: HMACKey(key: Self.signingKey(secret)), digestAlgorithm: .sha256)
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

    /// An access token for `subject` (`{"exp": ..., "sub": "<subject>"}`).
    public func accessToken(subject: String, now: Date = Date()) async throws -> String {
        try await keys.sign(TokenClaims(sub: SubjectClaim(value: subject), exp: expiry(after: accessTokenLifetime, from: now)))
    }

    /// A token for `subject`, valid from now for `lifetime`, with a not-before claim
    /// (`{"exp": ..., "nbf": ..., "sub": "<subject>"}`), as password-reset links carry.
    public func shortLivedToken(subject: String, lifetime: Duration, now: Date = Date()) async throws -> String {
        try await keys.sign(
            TokenClaims(
                sub: SubjectClaim(value: subject), exp: expiry(after: lifetime, from: now),
                nbf: NotBeforeClaim(value: Date(timeIntervalSince1970: now.timeIntervalSince1970.rounded(.down)))))
    }

    /// The subject of a valid token; `nil` when the token has none. Throws ``InvalidToken`` for a bad
    /// signature, another algorithm, an expired or not-yet-valid token, or anything malformed.
    ///
    /// A token verified before is recognised by its text (``VerifiedTokens``), its times checked again.
    public func verify(_ token: String) async throws(InvalidToken) -> String? {
        if let subject = verified.subject(of: token) { return subject }
        guard algorithm(of: token) == "HS256" else { throw InvalidToken() }
        do {
            let claims = try await keys.verify(token, as: TokenClaims.self)
            verified.remember(token, subject: claims.sub?.value, notBefore: claims.nbf?.value, expires: claims.exp.value)
            return claims.sub?.value
        } catch {
            throw InvalidToken()
        }
    }

    private func expiry(after lifetime: Duration, from now: Date) -> ExpirationClaim {
        let seconds = lifetime / .seconds(1)
        return ExpirationClaim(value: Date(timeIntervalSince1970: (now.timeIntervalSince1970 + seconds).rounded(.down)))
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

/// A token that is not valid: wrong signature or algorithm, expired, or malformed.
public struct InvalidToken: Error, Sendable {}

/// The claims of the tokens this service issues.
struct TokenClaims: JWTPayload {
    var sub: SubjectClaim?
    var exp: ExpirationClaim
    var nbf: NotBeforeClaim?

    func verify(using algorithm: some JWTAlgorithm) async throws {
        try exp.verifyNotExpired()
        try nbf?.verifyNotBefore()
    }
}
