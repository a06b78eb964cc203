import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import TernPrimitives

/// How clients and caches may keep a successful `GET` answer, declared on the operation:
/// `@GET("/{id}", cache: .private(maxAge: 60))`.
///
/// The answer gets an `ETag` computed from its bytes (so the same answer has the same tag in every
/// process, before and after restarts), `Cache-Control` from the declaration and, for answers that
/// depend on who asks, `Vary: Authorization`. A request whose `If-None-Match` holds the tag gets
/// `304 Not Modified` with no body: the handler still runs (the answer may have changed), but the
/// bytes do not cross the network again.
public struct HTTPCachePolicy: Sendable, Equatable {
    let cacheControl: String
    let vary: [String]

    /// An answer for the caller only (it depends on their credentials): browsers may keep it for
    /// `maxAge` seconds, shared caches never. With no `maxAge`, browsers keep it but ask again every
    /// time (`no-cache`), so a change shows at once and an unchanged answer costs a 304.
    public static func `private`(maxAge: Int = 0) -> HTTPCachePolicy {
        HTTPCachePolicy(cacheControl: maxAge > 0 ? "private, max-age=\(maxAge)" : "private, no-cache", vary: ["Authorization"])
    }

    /// The same answer for everyone: any cache may keep it for `maxAge` seconds.
    public static func `public`(maxAge: Int, vary: [String] = []) -> HTTPCachePolicy {
        HTTPCachePolicy(cacheControl: "public, max-age=\(maxAge)", vary: vary)
    }

    /// The answer with the caching headers, or 304 when the client holds it already.
    func response(status: HTTPResponse.Status, headers: HTTPFields, body: ByteBuffer, request: Request) -> Response {
        guard status == .ok, request.method == .get || request.method == .head else {
            return Response(status: status, headers: headers, body: .init(byteBuffer: body))
        }
        var headers = headers
        let tag = Self.entityTag(of: body)
        headers[.eTag] = tag
        headers[.cacheControl] = cacheControl
        for name in vary { headers.append(HTTPField(name: .vary, value: name)) }
        if Self.matches(tag, request.headers[values: .ifNoneMatch]) {
            headers[.contentType] = nil
            return Response(status: .notModified, headers: headers, body: .init())
        }
        return Response(status: status, headers: headers, body: .init(byteBuffer: body))
    }

    /// A strong tag: the first 128 bits of the body's SHA-256, in hex and quotes.
    static func entityTag(of body: ByteBuffer) -> String {
        let digest = body.withUnsafeReadableBytes { SHA256.hash(data: $0) }
        return "\"" + digest.prefix(16).lowercaseHex + "\""
    }

    /// `If-None-Match` compares weakly (RFC 9110 13.1.2): `W/"x"` matches `"x"`; `*` matches any.
    static func matches(_ tag: String, _ values: [String]) -> Bool {
        values.flatMap { $0.split(separator: ",") }.contains { candidate in
            let candidate = candidate.trimmingWhitespaces()
            return candidate == "*" || (candidate.hasPrefix("W/") ? String(candidate.dropFirst(2)) : candidate) == tag
        }
    }

    /// The headers the docs show on the successful answer.
    var documentedHeaders: [String] { ["ETag", "Cache-Control"] + (vary.isEmpty ? [] : ["Vary"]) }
}
