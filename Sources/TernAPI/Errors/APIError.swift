import HTTPTypes
import Hummingbird

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

    /// - Parameters:
    ///   - status: the answer's status.
    ///   - detail: the message; by default the status's reason phrase, in Starlette's words.
    ///   - headers: sent with the answer (`Retry-After`, `WWW-Authenticate`).
    public init(_ status: HTTPResponse.Status, _ detail: String? = nil, headers: HTTPFields = [:]) {
        self.status = status
        self.detail = .string(detail ?? Self.reasonPhrase(status))
        self.headers = headers
    }

    public init(_ status: HTTPResponse.Status, detail: JSONValue, headers: HTTPFields = [:]) {
        self.status = status
        self.detail = detail
        self.headers = headers
    }

    public var description: String { "\(status.code) \(detail.jsonText)" }

    /// `503 Service Unavailable` with `Retry-After: 1`: the server is at a limit, or something it
    /// needs (the database, Redis) is out for a moment; the same request may succeed shortly.
    public static let retryLater = APIError(.serviceUnavailable, headers: [.retryAfter: "1"])

    /// The JSON body FastAPI answers with: `{"detail": ...}`.
    public var body: JSONValue { ["detail": detail] }

    /// The response: the status, the headers and ``body``.
    public var response: Response {
        Response.json(body, status: status, headers: headers)
    }

    /// Starlette's reason phrases where they differ from the current RFC's.
    public static func reasonPhrase(_ status: HTTPResponse.Status) -> String {
        switch status.code {
        case 413: "Request Entity Too Large"
        case 422: "Unprocessable Entity"
        default: status.reasonPhrase
        }
    }
}
