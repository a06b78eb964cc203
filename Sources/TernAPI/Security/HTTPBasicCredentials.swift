import Foundation
import HTTPTypes
import TernPrimitives

/// The user name and password of `Authorization: Basic <base64 of user:password>` (FastAPI's
/// `HTTPBasic` and `HTTPBasicCredentials`, RFC 7617).
///
/// A dependency that accepts them reads them with ``credentials(in:realm:)`` and declares the scheme
/// with ``securityRequirement``; the application declares it under ``schemeName`` (`.httpBasic`).
public struct HTTPBasicCredentials: Sendable, Equatable {
    public let username: String
    public let password: String

    public static let schemeName = "HTTPBasic"
    public static var securityRequirement: SecurityRequirement { SecurityRequirement(scheme: schemeName) }

    public init(username: String, password: String) {
        self.username = username
        self.password = password
    }

    /// The credentials of a request with a Basic `Authorization`; `nil` for a request without one
    /// (or with another scheme). A Basic header that does not decode to `user:password` in UTF-8 is
    /// refused with ``invalid(realm:)``.
    public static func credentials(in request: IncomingRequest, realm: String) throws(APIError) -> HTTPBasicCredentials? {
        guard let authorization = request.header("authorization") else { return nil }
        let scheme = authorization.prefix { $0 != " " }
        guard scheme.lowercased() == "basic" else { return nil }
        let encoded = authorization.dropFirst(scheme.count).trimmingWhitespaces()
        guard let data = Data(base64Encoded: encoded), let decoded = String(data: data, encoding: .utf8),
            let colon = decoded.firstIndex(of: ":")
        else { throw invalid(realm: realm) }
        return HTTPBasicCredentials(username: String(decoded[..<colon]), password: String(decoded[decoded.index(after: colon)...]))
    }

    /// 401 with the Basic challenge: what FastAPI's `HTTPBasic` answers for a malformed header.
    public static func invalid(realm: String) -> APIError {
        APIError(.unauthorized, "Invalid authentication credentials", headers: [.wwwAuthenticate: challenge(realm: realm)])
    }

    /// The `WWW-Authenticate` value that asks for Basic credentials.
    public static func challenge(realm: String) -> String {
        "Basic realm=\"\(realm)\", charset=\"UTF-8\""
    }
}
