import Crypto
import Foundation

/// Seals small secrets for storage (a TOTP secret) with AES-GCM under keys derived from the
/// application's secrets: a leaked database alone does not give them away. The newest secret seals;
/// older ones still open what they sealed, as signing keys rotate.
struct SecretBox: Sendable {
    private let keys: [SymmetricKey]

    init(secrets: [String]) {
        precondition(!secrets.isEmpty, "a secret box needs a secret")
        keys = secrets.map { secret in
            HKDF<SHA256>.deriveKey(
                inputKeyMaterial: SymmetricKey(data: Data(secret.utf8)), info: Data("tern-secret-box".utf8), outputByteCount: 32)
        }
    }

    /// Base64 of nonce, ciphertext and tag.
    func seal(_ plaintext: [UInt8]) throws -> String {
        try AES.GCM.seal(plaintext, using: keys[0]).combined!.base64EncodedString()
    }

    /// `nil` when no key opens it (or it is not a sealed box).
    func open(_ sealed: String) -> [UInt8]? {
        opened(sealed)?.plaintext
    }

    /// The plaintext, and whether the newest key sealed it (if not, it is worth sealing again
    /// before the older key is removed).
    func opened(_ sealed: String) -> (plaintext: [UInt8], isCurrent: Bool)? {
        guard let data = Data(base64Encoded: sealed), let box = try? AES.GCM.SealedBox(combined: data) else { return nil }
        for (index, key) in keys.enumerated() {
            if let plaintext = try? AES.GCM.open(box, using: key) { return (Array(plaintext), index == 0) }
        }
        return nil
    }
}
