import Crypto
import Foundation

/// Tokens as the reference template (PyJWT, HS256 with `SECRET_KEY`) mints them, to show that
/// those issued before tokens were typed keep working.
enum LegacyTokens {
    /// `{"exp": now + lifetime, "sub": user id}`.
    static func access(subject: String, secret: String, lifetime: TimeInterval = 3600) -> String {
        sign(["exp": Int(Date().timeIntervalSince1970 + lifetime), "sub": subject], secret: secret)
    }

    /// `{"exp": now + lifetime, "nbf": now, "sub": email}`.
    static func passwordReset(email: String, secret: String, lifetime: TimeInterval = 3600) -> String {
        let now = Int(Date().timeIntervalSince1970)
        return sign(["exp": now + Int(lifetime), "nbf": now, "sub": email], secret: secret)
    }

    static func sign(_ claims: [String: Any], secret: String) -> String {
        let header = base64URL(Data(#"{"alg":"HS256","typ":"JWT"}"#.utf8))
        let payload = base64URL(try! JSONSerialization.data(withJSONObject: claims, options: [.sortedKeys]))
        let mac = HMAC<SHA256>.authenticationCode(for: Data("\(header).\(payload)".utf8), using: SymmetricKey(data: Data(secret.utf8)))
        return "\(header).\(payload).\(base64URL(Data(mac)))"
    }

    private static func base64URL(_ data: Data) -> String {
        data.base64EncodedString()
            .replacingOccurrences(of: "=", with: "").replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
    }
}
