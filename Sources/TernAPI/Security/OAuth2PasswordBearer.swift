import HTTPTypes

/// The bearer token of an OAuth2 password flow (FastAPI's `OAuth2PasswordBearer`): read from
/// `Authorization: Bearer <token>`. Without that header, or with another scheme, the request fails
/// with 401 `Not authenticated` and `WWW-Authenticate: Bearer`.
///
/// Depend on it to get the raw token; an application's "current user" dependency verifies it. The
/// application declares the scheme under ``schemeName`` with its token URL
/// (`api.securitySchemes[OAuth2PasswordBearer.schemeName] = .oauth2Password(tokenURL: ...)`), which
/// the operations' security requirements point at.
public struct OAuth2PasswordBearer: Dependency {
    /// The token as sent; possibly empty, possibly invalid.
    public let token: String

    public static func resolve(_: NoInput, in scope: RequestScope) async throws -> OAuth2PasswordBearer {
        guard let token = token(in: scope.request) else { throw notAuthenticated }
        return OAuth2PasswordBearer(token: token)
    }

    /// The token of `Authorization: Bearer <token>`, or `nil` without one.
    public static func token(in request: IncomingRequest) -> String? {
        guard let authorization = request.header("authorization"), !authorization.isEmpty else { return nil }
        let scheme = authorization.prefix { $0 != " " }
        guard scheme.lowercased() == "bearer" else { return nil }
        return String(authorization.dropFirst(scheme.count + 1))
    }

    public static let schemeName = "OAuth2PasswordBearer"
    public static var securityRequirement: SecurityRequirement { SecurityRequirement(scheme: schemeName) }
    public static var securityRequirements: [SecurityRequirement] { [securityRequirement] }
    public static var errors: [any APIErrorConvertible] { [notAuthenticated] }

    /// 401 `Not authenticated`, with the Bearer challenge: a request without a token.
    public static var notAuthenticated: APIError {
        APIError(.unauthorized, "Not authenticated", headers: [.wwwAuthenticate: "Bearer"])
    }
}
