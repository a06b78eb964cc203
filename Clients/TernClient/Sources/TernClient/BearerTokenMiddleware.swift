import Foundation
import HTTPTypes
import OpenAPIRuntime

/// Sends `Authorization: Bearer <token>` with every request of a generated ``Client``, the token read
/// afresh for each request so that an app can swap in a refreshed one (`POST /login/refresh`) without
/// building a new client.
///
/// ```swift
/// let client = Client(
///     serverURL: URL(string: "https://api.example.com")!,
///     transport: URLSessionTransport(),
///     middlewares: [BearerTokenMiddleware { await session.accessToken }]
/// )
/// ```
public struct BearerTokenMiddleware: ClientMiddleware {
    private let token: @Sendable () async throws -> String?

    /// Creates the middleware. A request goes without the header while `token` returns nil.
    public init(token: @escaping @Sendable () async throws -> String?) {
        self.token = token
    }

    /// Creates the middleware for a token that never changes.
    public init(token: String) {
        self.init { token }
    }

    public func intercept(
        _ request: HTTPRequest,
        body: HTTPBody?,
        baseURL: URL,
        operationID: String,
        next: @Sendable (HTTPRequest, HTTPBody?, URL) async throws -> (HTTPResponse, HTTPBody?)
    ) async throws -> (HTTPResponse, HTTPBody?) {
        var request = request
        if let token = try await token() {
            request.headerFields[.authorization] = "Bearer \(token)"
        }
        return try await next(request, body, baseURL)
    }
}
