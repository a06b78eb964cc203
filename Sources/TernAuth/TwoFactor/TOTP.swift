import Crypto
import Foundation

/// Time-based one-time passwords (RFC 6238) as authenticator apps make them: HMAC-SHA1, 6 digits, a
/// 30-second step. Small on purpose, and checked against the RFC's test vectors.
public struct TOTP: Sendable {
    /// The shared secret (20 random bytes when generated).
    public let secret: [UInt8]
    public let digits: Int
    public let period: TimeInterval

    public init(secret: [UInt8], digits: Int = 6, period: TimeInterval = 30) {
        self.secret = secret
        self.digits = digits
        self.period = period
    }

    /// A new random secret of 160 bits, the size RFC 4226 recommends for SHA-1.
    public static func generate() -> TOTP {
        TOTP(secret: SecretBytes.random(20))
    }

    /// The time step `date` falls in.
    public func step(at date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 / period).rounded(.down))
    }

    /// The code of a time step (RFC 4226 §5.3: dynamic truncation).
    public func code(step: Int64) -> String {
        let counter = withUnsafeBytes(of: UInt64(bitPattern: step).bigEndian) { Data($0) }
        let mac = Array(HMAC<Insecure.SHA1>.authenticationCode(for: counter, using: SymmetricKey(data: secret)))
        let offset = Int(mac[mac.count - 1] & 0x0f)
        let binary =
            (UInt32(mac[offset] & 0x7f) << 24) | (UInt32(mac[offset + 1]) << 16) | (UInt32(mac[offset + 2]) << 8)
            | UInt32(mac[offset + 3])
        var modulus: UInt32 = 1
        for _ in 0..<digits { modulus *= 10 }
        let text = String(binary % modulus)
        return String(repeating: "0", count: digits - text.count) + text
    }

    /// The step whose code `code` is, within one step of `date` either way (clocks drift, people
    /// type slowly); `nil` when it is none of them.
    public func matchingStep(of code: String, at date: Date) -> Int64? {
        let now = step(at: date)
        return (now - 1...now + 1).first { SecretBytes.equal(self.code(step: $0), code) }
    }

    /// The `otpauth://` URI authenticator apps read from a QR code.
    public func provisioningURI(account: String, issuer: String) -> String {
        let label = "\(issuer):\(account)".addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(["/", ":"])) ?? account
        let issuerParameter = issuer.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed.subtracting(["&", "="])) ?? issuer
        return
            "otpauth://totp/\(label)?secret=\(Base32.encode(secret))&issuer=\(issuerParameter)&algorithm=SHA1&digits=\(digits)&period=\(Int(period))"
    }
}
