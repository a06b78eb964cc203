import CompressNIO
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import TernPrimitives

/// Compresses answers with gzip for clients that accept it (Starlette's `GZipMiddleware`), streamed
/// ones included, piece by piece. Left alone: answers below ``minimumSize`` (when their size is
/// known), already compressed media (images but SVG, audio, video, archives, fonts in WOFF),
/// `text/event-stream` (compression would hold events back), byte ranges and answers without a body.
///
/// A compressed answer carries `Vary: Accept-Encoding`, no `Content-Length`, and its `ETag` made weak:
/// its bytes differ from the uncompressed answer's, which the strong tag names.
public struct ResponseCompressionMiddleware<Context: RequestContext>: RouterMiddleware {
    public let minimumSize: Int

    /// - Parameter minimumSize: the smallest body worth compressing (500 bytes, as Starlette).
    public init(minimumSize: Int = 500) {
        self.minimumSize = minimumSize
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        guard Self.acceptsGzip(request.headers[values: .acceptEncoding]), shouldCompress(response) else { return response }
        response.headers[.contentEncoding] = "gzip"
        response.headers[.contentLength] = nil
        response.headers.append(HTTPField(name: .vary, value: "Accept-Encoding"))
        if let tag = response.headers[.eTag], !tag.hasPrefix("W/") { response.headers[.eTag] = "W/" + tag }
        response.body = Self.gzipped(response.body)
        return response
    }

    private func shouldCompress(_ response: Response) -> Bool {
        guard response.status.code >= 200, response.status != .noContent, response.status != .notModified,
            response.status != .partialContent, response.headers[.contentEncoding] == nil, response.headers[.contentRange] == nil,
            Self.isCompressible(response.headers[.contentType])
        else { return false }
        if let length = response.body.contentLength { return length >= minimumSize }
        return true
    }

    /// Whether a media type gains from compression.
    static func isCompressible(_ contentType: String?) -> Bool {
        guard let contentType else { return false }
        let type = mediaType(of: contentType)
        if type == "text/event-stream" { return false }
        if type.hasPrefix("text/") || type == "image/svg+xml" { return true }
        if type.hasPrefix("image/") || type.hasPrefix("audio/") || type.hasPrefix("video/") { return false }
        let compressed: Set<String> = [
            "application/zip", "application/gzip", "application/x-gzip", "application/x-7z-compressed", "application/x-bzip2",
            "application/x-xz", "application/zstd", "application/octet-stream", "application/pdf", "font/woff", "font/woff2",
        ]
        return !compressed.contains(type)
    }

    /// Whether `Accept-Encoding` allows gzip: named (or `*`) without `q=0`.
    static func acceptsGzip(_ values: [String]) -> Bool {
        var gzip: Bool?
        var any: Bool?
        for coding in values.flatMap({ $0.split(separator: ",") }) {
            let parts = coding.split(separator: ";").map { $0.trimmingWhitespaces().lowercased() }
            guard let name = parts.first else { continue }
            let refused = parts.dropFirst().contains {
                $0.replacingOccurrences(of: " ", with: "").range(of: #"^q=0(\.0*)?$"#, options: .regularExpression) != nil
            }
            if name == "gzip" || name == "x-gzip" { gzip = !refused } else if name == "*" { any = !refused }
        }
        return gzip ?? any ?? false
    }

    /// The body, gzipped as it is written: each piece is compressed and flushed on its own, so a
    /// streamed answer keeps streaming.
    static func gzipped(_ body: ResponseBody) -> ResponseBody {
        ResponseBody { writer in
            try await body.write(GzipBodyWriter(base: writer, compressor: try ZlibCompressor(algorithm: .gzip)))
        }
    }
}

/// Compresses what is written through it, then ends the gzip stream when the body finishes.
private struct GzipBodyWriter: ResponseBodyWriter {
    var base: any ResponseBodyWriter
    let compressor: ZlibCompressor

    mutating func write(_ buffer: ByteBuffer) async throws {
        guard buffer.readableBytes > 0 else { return }
        var buffer = buffer
        try await base.write(try buffer.compressStream(with: compressor, flush: .sync))
    }

    consuming func finish(_ trailingHeaders: HTTPFields?) async throws {
        var end = ByteBuffer()
        try await base.write(try end.compressStream(with: compressor, flush: .finish))
        try await base.finish(trailingHeaders)
    }
}
