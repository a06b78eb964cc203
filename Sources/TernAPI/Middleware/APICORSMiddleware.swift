import HTTPTypes
import Hummingbird

/// Cross-origin resource sharing the way Starlette's `CORSMiddleware` does it for the reference
/// template: an allow-list of origins, credentials allowed, every method and header.
///
/// Preflight requests (`OPTIONS` with `Access-Control-Request-Method`) from an allowed origin get 200
/// with the allowed methods and the requested headers; from another origin, 400. Other requests
/// from an allowed origin get `Access-Control-Allow-Origin` and `Access-Control-Allow-Credentials`.
///
/// Origins are listed one by one: `*` is refused, because with credentials allowed it would let any
/// site make authenticated requests in its visitors' names (browsers refuse `*` with credentials for
/// that reason; echoing each origin back would get around them).
public struct APICORSMiddleware<Context: RequestContext>: RouterMiddleware {
    private let allowedOrigins: CORSAllowList
    private let maxAge: Int

    public init(allowedOrigins: CORSAllowList, maxAge: Int = 600) {
        self.allowedOrigins = allowedOrigins
        self.maxAge = maxAge
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let origin = request.headers[.origin] else {
            return try await next(request, context)
        }
        let allowed = allowedOrigins.contains(origin)
        if request.method == .options, request.headers[.accessControlRequestMethod] != nil {
            return preflight(origin: origin, allowed: allowed, request: request)
        }
        var response = try await next(request, context)
        if allowed {
            response.headers[.accessControlAllowOrigin] = origin
            response.headers[.accessControlAllowCredentials] = "true"
            response.headers[values: .vary].append("Origin")
        }
        return response
    }

    private func preflight(origin: String, allowed: Bool, request: Request) -> Response {
        var headers: HTTPFields = [
            .accessControlAllowMethods: "DELETE, GET, HEAD, OPTIONS, PATCH, POST, PUT",
            .accessControlMaxAge: String(maxAge),
            .accessControlAllowCredentials: "true",
            .vary: "Origin",
        ]
        if let requestedHeaders = request.headers[.accessControlRequestHeaders] {
            headers[.accessControlAllowHeaders] = requestedHeaders
        }
        guard allowed else {
            return Response(status: .badRequest, headers: headers, body: .init(byteBuffer: ByteBuffer(string: "Disallowed CORS origin")))
        }
        headers[.accessControlAllowOrigin] = origin
        headers[.contentType] = "text/plain; charset=utf-8"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: "OK")))
    }
}

/// The origins that may call the API from a browser, with credentials: each named, `*` refused.
public struct CORSAllowList: Sendable {
    private let origins: Set<String>

    /// - Parameter origins: `scheme://host[:port]`; a trailing `/` is ignored.
    public init(_ origins: [String]) throws(CORSConfigurationError) {
        if origins.contains("*") { throw CORSConfigurationError.wildcardWithCredentials }
        self.origins = Set(origins.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 })
    }

    public func contains(_ origin: String) -> Bool {
        origins.contains(origin)
    }
}

/// A CORS configuration the middleware refuses.
public enum CORSConfigurationError: Error, CustomStringConvertible {
    /// `*` among origins that may send credentials.
    case wildcardWithCredentials

    public var description: String {
        switch self {
        case .wildcardWithCredentials:
            "'*' cannot be an allowed origin when credentials are allowed (browsers refuse the combination); list the origins"
        }
    }
}
