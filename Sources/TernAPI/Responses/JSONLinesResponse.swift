import HTTPTypes
import Hummingbird
import OpenAPIKit

/// JSON Lines (`application/jsonl`): one JSON value per line, written while they are produced, so
/// that a client reads the first before the last exists and the server holds only a few at once.
/// Documented with the schema of one line.
///
/// The values are produced after the operation's unit of work has ended: read them from the
/// database itself, in batches.
public struct JSONLinesResponse<Element: APIValue>: ResponseContent {
    public var headers: HTTPFields
    private let produce: @Sendable (inout JSONLinesWriter<Element>) async throws -> Void

    public init(headers: HTTPFields = [:], _ produce: @escaping @Sendable (inout JSONLinesWriter<Element>) async throws -> Void) {
        self.headers = headers
        self.produce = produce
    }

    public func encoded(for request: Request) -> EncodedResponse {
        var headers = self.headers
        headers[.contentType] = "application/jsonl"
        let produce = produce
        return EncodedResponse(
            headers: headers,
            body: .stream(
                ResponseBody { output in
                    var writer = JSONLinesWriter<Element>(output: BufferedBodyWriter(output))
                    try await produce(&writer)
                    try await writer.output.finish()
                }))
    }

    public static func responseDocumentation(components: inout SchemaComponents) -> (mediaType: String, schema: JSONSchema?) {
        ("application/jsonl", Element.jsonSchema(options: .none, components: &components))
    }
}

/// Writes the lines of a ``JSONLinesResponse``.
public struct JSONLinesWriter<Element: APIValue> {
    var output: BufferedBodyWriter

    /// Sends what was written so far. Writes are gathered into pieces of 16 KB; call this before
    /// waiting for more (the next batch from the database), so the client is not kept waiting for
    /// what is ready.
    public mutating func flush() async throws {
        try await output.flush()
    }

    public mutating func write(_ element: Element) async throws {
        var json = JSONWriter()
        element.writeJSON(to: &json)
        try await output.append(json.bytes)
        try await output.append(CollectionOfOne(UInt8(ascii: "\n")))
    }
}
