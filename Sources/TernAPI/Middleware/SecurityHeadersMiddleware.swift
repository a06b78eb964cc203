import HTTPTypes
import Hummingbird

/// Headers that tell browsers to be careful with every answer, unless the answer set its own:
/// - `X-Content-Type-Options: nosniff`: a JSON body is never run as a script or shown as HTML;
/// - `X-Frame-Options: DENY`: no other site frames a page of this API (clickjacking);
/// - `Referrer-Policy: strict-origin-when-cross-origin`: URLs, with whatever their queries hold,
///   do not leak to other sites;
/// - `Strict-Transport-Security`, when `hstsMaxAge` is set: browsers use HTTPS only, for that long.
///   Set it only when the API is served over HTTPS (directly or by a proxy), for browsers ignore it
///   over plain HTTP and remember it for the whole host.
public struct SecurityHeadersMiddleware<Context: RequestContext>: RouterMiddleware {
    private let headers: HTTPFields

    /// - Parameter hstsMaxAge: seconds browsers keep to HTTPS; `nil` sends no HSTS header.
    public init(hstsMaxAge: Int? = nil) {
        var headers: HTTPFields = [
            .xContentTypeOptions: "nosniff", .xFrameOptions: "DENY", .referrerPolicy: "strict-origin-when-cross-origin",
        ]
        if let hstsMaxAge { headers[.strictTransportSecurity] = "max-age=\(hstsMaxAge); includeSubDomains" }
        self.headers = headers
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        for field in headers where response.headers[field.name] == nil {
            response.headers.append(field)
        }
        return response
    }
}

extension HTTPField.Name {
    /// `X-Frame-Options`.
    public static var xFrameOptions: Self { HTTPField.Name("X-Frame-Options")! }
    /// `Referrer-Policy`.
    public static var referrerPolicy: Self { HTTPField.Name("Referrer-Policy")! }
}
