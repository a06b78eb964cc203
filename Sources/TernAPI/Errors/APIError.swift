import HTTPTypes

/// An HTTP error with a `detail`, answered as `{"detail": ...}` (FastAPI's `HTTPException`):
///
/// ```swift
/// throw APIError(.notFound, "Item not found")
/// throw APIError(.unauthorized, "Not authenticated", headers: [.wwwAuthenticate: "Bearer"])
/// ```
public struct APIError: Error, Sendable, CustomStringConvertible {
    public var status: HTTPResponse.Status
    /// Usually a string; any JSON value is allowed.
    public var detail: JSONValue
    public var headers: HTTPFields

    public init(_ status: HTTPResponse.Status, _ detail: String? = nil, headers: HTTPFields = [:]) {
        self.status = status
        self.detail = .string(detail ?? status.reasonPhrase)
        self.headers = headers
    }

    public init(_ status: HTTPResponse.Status, detail: JSONValue, headers: HTTPFields = [:]) {
        self.status = status
        self.detail = detail
        self.headers = headers
    }

    public var description: String { "\(status.code) \(detail.jsonText)" }
}
