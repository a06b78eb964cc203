import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import NIOFileSystem
import OpenAPIKit

/// A file from disk, answered as a file server does (Starlette's `FileResponse` and `StaticFiles`):
/// streamed in chunks, never read whole into memory, with
/// - `ETag` (size and modification time) and `Last-Modified`, and `304 Not Modified` for a client
///   that has it (`If-None-Match`, else `If-Modified-Since`);
/// - one byte range (`Range: bytes=…`, `206 Partial Content`), so that downloads resume and media
///   seek, unless `If-Range` names another version; `416` for a range past the end. A request for
///   several ranges gets the whole file, as the RFC allows.
///
/// A file that is not there answers `404`; the path is the server's, never a client's unchecked
/// (``StaticFiles`` resolves a client's path inside its folder).
public struct FileResponse: ResponseContent {
    public var path: String
    /// The media type; from the file's extension when `nil`, else `application/octet-stream`.
    public var contentType: String?
    /// The name a browser saves it under (`Content-Disposition: attachment`); shown inline when `nil`.
    public var downloadName: String?
    public var headers: HTTPFields

    public init(path: String, contentType: String? = nil, downloadName: String? = nil, headers: HTTPFields = [:]) {
        self.path = path
        self.contentType = contentType
        self.downloadName = downloadName
        self.headers = headers
    }

    /// The largest piece read from disk at once.
    static var chunkLength: ByteCount { .kibibytes(128) }

    public func encoded(for request: Request) async throws -> EncodedResponse {
        guard let info = try? await FileSystem.shared.info(forFileAt: FilePath(path)), info.type == .regular else {
            throw APIError(.notFound, "File not found")
        }
        let version = FileVersion(size: Int(info.size), modified: info.lastDataModificationTime)
        var headers = self.headers
        headers[.contentType] = contentType ?? Self.mediaType(of: path)
        headers[.eTag] = version.entityTag
        headers[.lastModified] = HTTPDate.format(version.modificationDate)
        headers[.acceptRanges] = "bytes"
        if let downloadName { headers[.contentDisposition] = ContentDisposition.attachment(filename: downloadName) }

        if version.isNotModified(for: request.headers) {
            headers[.contentType] = nil
            return EncodedResponse(status: .notModified, headers: headers, body: .bytes(ByteBuffer()))
        }
        switch try version.requestedRange(in: request.headers) {
        case .some(let range):
            headers[.contentRange] = "bytes \(range.lowerBound)-\(range.upperBound)/\(version.size)"
            return EncodedResponse(status: .partialContent, headers: headers, body: .stream(body(range)))
        case nil:
            return EncodedResponse(headers: headers, body: .stream(body(version.size > 0 ? 0...(version.size - 1) : nil)))
        }
    }

    /// The bytes of `range`, read as they are written.
    private func body(_ range: ClosedRange<Int>?) -> ResponseBody {
        guard let range else { return ResponseBody() }
        let path = path
        return ResponseBody(contentLength: range.count) { writer in
            try await FileSystem.shared.withFileHandle(forReadingAt: FilePath(path)) { file in
                for try await chunk in file.readChunks(in: Int64(range.lowerBound)...Int64(range.upperBound), chunkLength: Self.chunkLength)
                {
                    try await writer.write(chunk)
                }
            }
            try await writer.finish(nil)
        }
    }

    static func mediaType(of path: String) -> String {
        let fileExtension = (path as NSString).pathExtension.lowercased()
        guard let mediaType = MediaType.getMediaType(forExtension: fileExtension) else { return "application/octet-stream" }
        return mediaType.isType(.text) && mediaType.parameter == nil ? "\(mediaType); charset=utf-8" : "\(mediaType)"
    }

    public static func responseDocumentation(components: inout SchemaComponents) -> (mediaType: String, schema: JSONSchema?) {
        ("application/octet-stream", .string(contentEncoding: .binary))
    }
}
