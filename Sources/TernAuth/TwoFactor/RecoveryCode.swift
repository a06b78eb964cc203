import Foundation

/// One-time codes for signing in without the authenticator app: `xxxxx-xxxxx` in base32 (50 random
/// bits), stored as SHA-256.
enum RecoveryCode {
    static func generate() -> String {
        var generator = SystemRandomNumberGenerator()
        let text = Base32.encode((0..<7).map { _ in UInt8.random(in: .min ... .max, using: &generator) }).lowercased().prefix(10)
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
