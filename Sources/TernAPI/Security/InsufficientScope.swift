import HTTPTypes

/// A credential that lacks a scope the operation requires: 403 `Not enough permissions`, with the
/// `WWW-Authenticate` challenge of RFC 6750 §3.1 naming every scope the operation requires.
public struct InsufficientScope: APIErrorConvertible {
    /// The scopes the operation requires, all of them.
    public let required: [Scope]
    /// The authentication scheme of the challenge: `Bearer`, or the scheme that authenticated.
    public let challenge: String

    public init(required: [Scope], challenge: String) {
        self.required = required
        self.challenge = challenge
    }

    public var apiError: APIError {
        let scopes = required.map(\.name).joined(separator: " ")
        return APIError(
            .forbidden, "Not enough permissions",
            headers: [.wwwAuthenticate: "\(challenge) error=\"insufficient_scope\", scope=\"\(scopes)\""])
    }
}
