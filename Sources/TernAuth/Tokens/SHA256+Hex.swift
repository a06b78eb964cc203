import Crypto
import Foundation

extension String {
    /// The SHA-256 of the text's UTF-8 bytes, in lowercase hex: how tokens are stored and named
    /// without keeping them.
    var sha256Hex: String {
        SHA256.hash(data: Data(utf8)).map { String(format: "%02x", $0) }.joined()
    }
}
