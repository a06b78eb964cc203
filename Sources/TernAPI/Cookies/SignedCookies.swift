import Crypto
import Foundation
import TernPrimitives

/// Signs values that a client keeps in a cookie and sends back: the client can read them (they are
/// signed, not encrypted) but can neither alter them nor present them once they are too old.
/// Starlette's session cookie (itsdangerous' timestamp signer), with keys that rotate like the token
/// keys: the newest secret signs, and every listed secret still verifies what it signed.
///
/// A signed value is `payload.issuedAt.signature`:
/// - the payload in base64url;
/// - the Unix time, in seconds, at which it was signed;
/// - an HMAC-SHA256 of the cookie's name and the first two, under a key derived (HKDF) from the
///   secret and a purpose.
///
/// Because the purpose goes into the key and the name into the signature, a value signed for one
/// purpose or cookie is never accepted for another, nor mistaken for anything else the secret signs.
public struct SignedCookies: Sendable {
    /// A value that verified: what was signed, when, and whether the newest key signed it (if not,
    /// sign it again before the older secret is retired).
    public struct Verified: Sendable, Equatable {
        public let payload: [UInt8]
        public let issuedAt: Date
        public let isSignedWithNewestKey: Bool
    }

    /// How far ahead of this clock a value's time may be: another process's clock may run ahead.
    static let clockSkew: TimeInterval = 60

    private let keys: [SymmetricKey]

    /// - Parameters:
    ///   - secrets: the secrets, newest first (`SECRET_KEY`, then `PREVIOUS_SECRET_KEYS`).
    ///   - purpose: what the values are for (a session cookie's name, say), mixed into the keys.
    public init(secrets: [String], purpose: String) {
        precondition(!secrets.isEmpty, "signed cookies need a secret")
        keys = secrets.map { secret in
            HKDF<SHA256>.deriveKey(
                inputKeyMaterial: SymmetricKey(data: Data(secret.utf8)), info: Data("tern signed cookie: \(purpose)".utf8),
                outputByteCount: 32)
        }
    }

    /// `payload`, signed with the newest key as of `date`, for the cookie named `cookieName`.
    public func sign(_ payload: [UInt8], cookieName: String, at date: Date = Date()) -> String {
        let signed = Data(payload).base64URLEncoded + "." + String(Int(date.timeIntervalSince1970))
        return signed + "." + Self.signature(of: cookieName + "=" + signed, with: keys[0]).base64URLEncoded
    }

    /// What `value`, found in the cookie named `cookieName`, carries if one of the keys signed it
    /// for that cookie no longer than `maxAge` before `now`; `nil` for a value that is forged,
    /// altered, moved from another cookie, expired, dated in the future or not a signed value.
    public func verify(_ value: String, cookieName: String, maxAge: Duration, now: Date = Date()) -> Verified? {
        let parts = value.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, let seconds = Int(parts[1]), let signature = Data(base64URLEncoded: parts[2]),
            let payload = Data(base64URLEncoded: parts[0])
        else { return nil }
        let signed = cookieName + "=" + parts[0] + "." + parts[1]
        guard let index = keys.firstIndex(where: { Self.signature(signature, isValidFor: signed, with: $0) }) else { return nil }
        let age = now.timeIntervalSince1970 - TimeInterval(seconds)
        guard age >= -Self.clockSkew, age <= TimeInterval(maxAge.components.seconds) else { return nil }
        return Verified(
            payload: Array(payload), issuedAt: Date(timeIntervalSince1970: TimeInterval(seconds)), isSignedWithNewestKey: index == 0)
    }

    private static func signature(of signed: some StringProtocol, with key: SymmetricKey) -> Data {
        Data(HMAC<SHA256>.authenticationCode(for: Data(signed.utf8), using: key))
    }

    /// Compares in constant time, so the time taken tells nothing of how much of a forgery was right.
    private static func signature(_ signature: Data, isValidFor signed: some StringProtocol, with key: SymmetricKey) -> Bool {
        HMAC<SHA256>.isValidAuthenticationCode(signature, authenticating: Data(signed.utf8), using: key)
    }
}
