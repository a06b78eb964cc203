import Foundation

extension Data {
    /// Base64url without padding (RFC 4648 §5): safe in URLs, headers and cookies as it is.
    var base64URLEncoded: String {
        base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}
