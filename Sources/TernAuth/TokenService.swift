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
    /// How long access tokens stay valid.
    public let accessTokenLifetime: Duration

    /// - Parameter secret: the signing secret. HS256 wants at least 32 bytes (RFC 7518); a shorter
    ///   secret (a development placeholder) is stretched with SHA-256 first, so it still works, but
    ///   tokens then verify only here.
    public init(secret: String, accessTokenLifetime: Duration) async {
        keys = JWTKeyCollection()
        await keys.add(hmac: HMACKey(key: Self.signingKey(secret)), digestAlgorithm: .sha256)
        self.accessTokenLifetime = accessTokenLifetime
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
    public func verify(_ token: String) async throws(InvalidToken) -> String? {
        guard Self.headerAlgorithm(of: token) == "HS256" else { throw InvalidToken() }
        do {
            return try await keys.verify(token, as: TokenClaims.self).sub?.value
        } catch {
            throw InvalidToken()
        }
    }

    private func expiry(after lifetime: Duration, from now: Date) -> ExpirationClaim {
        let seconds = Double(lifetime.components.seconds) + Double(lifetime.components.attoseconds) * 1e-18
        return ExpirationClaim(value: Date(timeIntervalSince1970: (now.timeIntervalSince1970 + seconds).rounded(.down)))
    }

    /// The header jwt-kit writes for HS256 (`{"typ":"JWT","alg":"HS256"}`), recognised without decoding.
    private static let issuedHeader = "eyJ0eXAiOiJKV1QiLCJhbGciOiJIUzI1NiJ9"

    /// The `alg` of a compact JWS's header, read without trusting anything else in the token.
    static func headerAlgorithm(of token: String) -> String? {
        guard let header = token.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false).first else { return nil }
        if header == issuedHeader { return "HS256" }
        var base64 = header.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        guard let data = Data(base64Encoded: base64),
            let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
        else { return nil }
        return object["alg"] as? String
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
