import Crypto
import TernPrimitives

/// An account in rate-limit keys: the email lowercased (as login matches it), then hashed, so that
/// keys hold no address in the clear and have one length. Unkeyed on purpose: every process must
/// derive the same key, also in development, where each one has a random `SECRET_KEY`.
struct AccountKey {
    let value: String

    init(email: String) {
        value = SHA256.hash(data: Array("tern-account:\(email.lowercased())".utf8)).prefix(16).lowercaseHex
    }
}
