/// An API key sent in a header (FastAPI's `APIKeyHeader`), `X-API-Key` by default.
///
/// A dependency that accepts keys reads one with ``key(in:)`` and declares the scheme with
/// ``securityRequirement``; the application declares the scheme under ``schemeName``
/// (`api.securitySchemes[APIKeyHeader.schemeName] = .apiKeyHeader(name: APIKeyHeader.headerName)`).
public enum APIKeyHeader {
    public static let headerName = "X-API-Key"
    public static let schemeName = "APIKeyHeader"
    public static var securityRequirement: SecurityRequirement { SecurityRequirement(scheme: schemeName) }

    /// The key the request carries, or `nil` without one.
    public static func key(in request: IncomingRequest) -> String? {
        guard let key = request.header(headerName), !key.isEmpty else { return nil }
        return key
    }
}
