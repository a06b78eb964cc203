import Foundation

/// One-time codes for signing in without the authenticator app: `xxxxx-xxxxx` in base32 (50 random
/// bits), stored as SHA-256.
enum RecoveryCode {
    static func generate() -> String {
        let text = Base32.encode(SecretBytes.random(7)).lowercased().prefix(10)
        return "\(text.prefix(5))-\(text.suffix(5))"
    }

    static func looksLikeOne(_ code: String) -> Bool {
        let code = normalized(code)
        return code.count == 11 && code.contains("-")
    }

    static func hash(_ code: String) -> String {
        normalized(code).sha256Hex
    }

    /// Case and surrounding spaces are forgiven: people type these from paper.
    private static func normalized(_ code: String) -> String {
        code.lowercased().trimmingCharacters(in: .whitespaces)
    }
}
