import HTTPTypes
import Hummingbird

/// Cross-origin resource sharing the way Starlette's `CORSMiddleware` does it for the reference
/// template: an allow-list of origins, credentials allowed, every method and header.
///
/// Preflight requests (`OPTIONS` with `Access-Control-Request-Method`) from an allowed origin get 200
/// with the allowed methods and the requested headers; from another origin, 400. Other requests
/// from an allowed origin get `Access-Control-Allow-Origin` and `Access-Control-Allow-Credentials`.
public struct APICORSMiddleware<Context: RequestContext>: RouterMiddleware {
    private let allowedOrigins: Set<String>
    private let maxAge: Int

    public init(allowedOrigins: [String], maxAge: Int = 600) {
        self.allowedOrigins = Set(allowedOrigins.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 })
        self.maxAge = maxAge
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let origin = request.headers[.origin] else {
            return try await next(request, context)
        }
        let allowed = allowedOrigins.contains(origin) || allowedOrigins.contains("*")
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
