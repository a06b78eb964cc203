import HTTPTypes
import Hummingbird
import OpenAPIKit

/// What a handler returns: any ``APIValue`` (written as JSON), or a ``CustomResponse`` for other
/// content types and headers.
public protocol ResponseContent: Sendable {
    /// The headers (content type included) and the bytes of a successful call's answer.
    func encoded() -> (headers: HTTPFields, body: ByteBuffer)

    /// The media type and schema of the response, for the docs.
    static func responseDocumentation(components: inout SchemaComponents) -> (mediaType: String, schema: JSONSchema?)
}

extension ResponseContent {
    /// The HTTP response for a successful call.
    public func response(status: HTTPResponse.Status) -> Response {
        let (headers, body) = encoded()
        return Response(status: status, headers: headers, body: .init(byteBuffer: body))
    }
}

/// A JSON response body.
struct JSONContent<Value: APIValue>: ResponseContent {
    let value: Value

    func encoded() -> (headers: HTTPFields, body: ByteBuffer) {
        var writer = JSONWriter()
        value.writeJSON(to: &writer)
        return ([.contentType: "application/json"], ByteBuffer(bytes: writer.bytes))
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

    public func encoded() -> (headers: HTTPFields, body: ByteBuffer) {
        var headers = self.headers
        headers[.contentType] = contentType
        return (headers, body)
    }

    public static func responseDocumentation(components: inout SchemaComponents) -> (mediaType: String, schema: JSONSchema?) {
        ("text/html", .string)
    }
}

extension Response {
    /// A JSON response from already-written bytes.
    public static func json(_ bytes: [UInt8], status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        var headers = headers
        headers[.contentType] = "application/json"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    /// A JSON response from a value tree.
    public static func json(_ value: JSONValue, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        var writer = JSONWriter()
        writer.value(value)
        return json(writer.bytes, status: status, headers: headers)
    }
}
