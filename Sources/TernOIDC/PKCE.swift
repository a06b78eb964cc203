import Crypto
import Foundation
import TernAuth
import TernPrimitives

/// Proof Key for Code Exchange (RFC 7636): the flow's verifier stays here, its `S256` challenge
/// goes to the consent page, and only whoever holds the verifier can redeem the code.
public enum PKCE {
    /// A new verifier: 32 random bytes, base64url (43 characters, RFC 7636 §4.1).
    public static func makeVerifier() -> String {
        Data(SecretBytes.random(32)).base64URLEncoded
    }

    /// The `S256` challenge of a verifier.
    public static func challenge(for verifier: String) -> String {
        Data(SHA256.hash(data: Data(verifier.utf8))).base64URLEncoded
    }
}
