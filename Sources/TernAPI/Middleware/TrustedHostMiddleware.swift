import HTTPTypes
import Hummingbird

/// Answers `400 Invalid host header` to requests for a host not listed, as Starlette's
/// `TrustedHostMiddleware` does: a forged `Host` cannot then steer what the app builds from it
/// (links, redirects, cache keys). Names match exactly or, written `*.example.com`, any subdomain;
/// `*` alone allows every host.
public struct TrustedHostMiddleware<Context: RequestContext>: RouterMiddleware {
    private let allowedHosts: [String]

    public init(allowedHosts: [String]) {
        self.allowedHosts = allowedHosts.map { $0.lowercased() }
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        // For HTTP/1.1, HTTPTypes holds the Host header as the authority.
        guard allows(request.head.authority) else {
            return Response.json(["detail": "Invalid host header"], status: .badRequest)
        }
        return try await next(request, context)
    }

    /// Whether a request for `authority` (`host[:port]`) may pass.
    func allows(_ authority: String?) -> Bool {
        if allowedHosts.contains("*") { return true }
        guard let authority else { return false }
        let host = Self.host(of: authority.lowercased())
        return allowedHosts.contains { pattern in
            pattern.hasPrefix("*.") ? host.hasSuffix(pattern.dropFirst()) : host == pattern
        }
    }

    /// The authority without its port (`[::1]:8000` → `[::1]`).
    static func host(of authority: String) -> Substring {
        if authority.hasPrefix("["), let end = authority.firstIndex(of: "]") { return authority[...end] }
        return authority.split(separator: ":", maxSplits: 1).first ?? ""
    }
}
