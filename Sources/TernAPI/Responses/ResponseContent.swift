import HTTPTypes
import Hummingbird
import OpenAPIKit

/// What a handler returns: any ``APIValue`` (written as JSON), a ``CustomResponse`` for other
/// content types and headers, a file (``FileResponse``) or a body written while it is produced
/// (``CSVResponse``, ``JSONLinesResponse``, ``EventStreamResponse``).
public protocol ResponseContent: Sendable {
    /// The answer to a successful call of the operation, for the request it answers (a file
    /// reads its `Range` and conditional headers).
    func encoded(for request: Request) async throws -> EncodedResponse

    /// The media type and schema of the response, for the docs.
    static func responseDocumentation(components: inout SchemaComponents) -> (mediaType: String, schema: JSONSchema?)
}

/// A successful answer before the API adds its own headers (rate limits, cookies, caching).
public struct EncodedResponse: Sendable {
    /// The status, when not the operation's own (a file's `206 Partial Content`, `304 Not Modified`).
    public var status: HTTPResponse.Status?
    public var headers: HTTPFields
    public var body: Body

    /// Bytes at hand, which the API may tag and cache (``HTTPCachePolicy``), or a body written as it
    /// is produced.
    public enum Body: Sendable {
        case bytes(ByteBuffer)
        case stream(ResponseBody)
    }

    public init(status: HTTPResponse.Status? = nil, headers: HTTPFields, body: Body) {
        self.status = status
        self.headers = headers
        self.body = body
    }
}

/// A JSON response body.
struct JSONContent<Value: APIValue>: ResponseContent {
    let value: Value

    func encoded(for request: Request) -> EncodedResponse {
        var writer = JSONWriter()
        value.writeJSON(to: &writer)
        return EncodedResponse(headers: [.contentType: "application/json"], body: .bytes(writer.buffer))
    }

    static func responseDocumentation(components: inout SchemaComponents) -> (mediaType: String, schema: JSONSchema?) {
        ("application/json", Value.jsonSchema(options: .none, components: &components))
    }
}

/// A response that is not JSON, or needs its own headers: an HTML page, say (documented as `text/html`).
public struct CustomResponse: ResponseContent {
    public var contentType: String
    public var headers: HTTPFields
    public var body: ByteBuffer

    public init(contentType: String, headers: HTTPFields = [:], body: ByteBuffer) {
        self.contentType = contentType
        self.headers = headers
        self.body = body
    }

    /// An HTML page.
    public static func html(_ html: String, headers: HTTPFields = [:]) -> CustomResponse {
        CustomResponse(contentType: "text/html; charset=utf-8", headers: headers, body: ByteBuffer(string: html))
    }

    /// A redirect to `location` (the operation's status says which kind: 302, 303), empty and not
    /// to be cached.
    public static func redirect(to location: String, headers: HTTPFields = [:]) -> CustomResponse {
        var headers = headers
        headers[.location] = location
        headers[.cacheControl] = "no-store"
        return CustomResponse(contentType: "text/plain; charset=utf-8", headers: headers, body: ByteBuffer())
    }

    public func encoded(for request: Request) -> EncodedResponse {
        var headers = self.headers
        headers[.contentType] = contentType
        return EncodedResponse(headers: headers, body: .bytes(body))
    }

    /// The response, outside an operation (the docs pages).
    public func response(status: HTTPResponse.Status) -> Response {
        var headers = self.headers
        headers[.contentType] = contentType
        return Response(status: status, headers: headers, body: .init(byteBuffer: body))
    }

    public static func responseDocumentation(components: inout SchemaComponents) -> (mediaType: String, schema: JSONSchema?) {
        ("text/html", .string)
    }
}

extension Response {
    /// A JSON response from already-written bytes.
    public static func json(_ bytes: [UInt8], status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        json(ByteBuffer(bytes: bytes), status: status, headers: headers)
    }

    /// A JSON response from an already-written buffer.
    public static func json(_ buffer: ByteBuffer, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        var headers = headers
        headers[.contentType] = "application/json"
        return Response(status: status, headers: headers, body: .init(byteBuffer: buffer))
    }

    /// A JSON response from a value tree.
    public static func json(_ value: JSONValue, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        var writer = JSONWriter()
        writer.value(value)
        return json(writer.buffer, status: status, headers: headers)
    }
}

extension EncodedResponse {
    /// The response, outside an operation (a mounted responder), with `status` unless it has its own.
    public func response(status: HTTPResponse.Status = .ok) -> Response {
        switch body {
        case .bytes(let bytes): Response(status: self.status ?? status, headers: headers, body: .init(byteBuffer: bytes))
        case .stream(let body): Response(status: self.status ?? status, headers: headers, body: body)
        }
    }
}
