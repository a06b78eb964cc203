import Foundation
import HTTPTypes
import Hummingbird
import TernPrimitives

/// Sends requests that came over plain HTTP to the same URL over HTTPS (`307`, which keeps the
/// method and body), as Starlette's `HTTPSRedirectMiddleware` does, for a server behind a proxy
/// that also answers on port 80 (`Request.arrivedOverHTTPS` tells).
///
/// Add it after ``TrustedHostMiddleware``: the redirect names the request's host, which must be one
/// of this API's.
public struct HTTPSRedirectMiddleware<Context: RequestContext>: RouterMiddleware {
    public init() {}

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard !request.arrivedOverHTTPS, let authority = request.head.authority else {
            return try await next(request, context)
        }
        let host = authority.hasSuffix(":80") ? String(authority.dropLast(3)) : authority
        return Response(status: .temporaryRedirect, headers: [.location: "https://\(host)\(request.uri.description)"])
    }
}

extension Request {
    /// Whether the request came over HTTPS, to this server or to a proxy in front of it
    /// (`X-Forwarded-Proto`, `Forwarded: proto=`). The forwarded headers are believed from anyone:
    /// all a forged one can do is keep its sender on the scheme they claim.
    public var arrivedOverHTTPS: Bool {
        if head.scheme?.lowercased() == "https" { return true }
        let forwardedProto = headers[HTTPField.Name("X-Forwarded-Proto")!]?.split(separator: ",").first?
            .trimmingWhitespaces()
        if forwardedProto?.lowercased() == "https" { return true }
        return headers[HTTPField.Name("Forwarded")!]?.lowercased().contains("proto=https") ?? false
    }
}
