import Crypto
import Foundation

/// Seals small secrets with AES-GCM under keys derived from the application's secrets: a TOTP
/// secret for storage (a leaked database alone does not give it away), a sign-in flow's state for a
/// cookie (the browser can neither read nor alter it). The newest secret seals; older ones still
/// open what they sealed, as signing keys rotate.
public struct SecretBox: Sendable {
    private let keys: [SymmetricKey]

    /// - Parameters:
    ///   - secrets: the application's secrets, newest first: the first seals, any opens.
    ///   - purpose: what the box is for, mixed into its keys: a box opens nothing sealed
    ///     for another purpose. (The default is the one TOTP secrets were first sealed with.)
    public init(secrets: [String], purpose: String = "tern-secret-box") {
        precondition(!secrets.isEmpty, "a secret box needs a secret")
        keys = secrets.map { secret in
            HKDF<SHA256>.deriveKey(
                inputKeyMaterial: SymmetricKey(data: Data(secret.utf8)), info: Data(purpose.utf8), outputByteCount: 32)
        }
    }

    /// Base64 of nonce, ciphertext and tag.
    public func seal(_ plaintext: [UInt8]) throws -> String {
        try AES.GCM.seal(plaintext, using: keys[0]).combined!.base64EncodedString()
    }

    /// `nil` when no key opens it (or it is not a sealed box).
    public func open(_ sealed: String) -> [UInt8]? {
        opened(sealed)?.plaintext
    }

    /// The plaintext, and whether the newest key sealed it (if not, it is worth sealing again
    /// before the older key is removed).
    public func opened(_ sealed: String) -> (plaintext: [UInt8], isCurrent: Bool)? {
        guard let data = Data(base64Encoded: sealed), let box = try? AES.GCM.SealedBox(combined: data) else { return nil }
        for (index, key) in keys.enumerated() {
            if let plaintext = try? AES.GCM.open(box, using: key) { return (Array(plaintext), index == 0) }
        }
        return nil
    }
}
