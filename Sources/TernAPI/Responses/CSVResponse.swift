import Foundation
import HTTPTypes
import Hummingbird
import OpenAPIKit

/// A CSV file written while its rows are produced (RFC 4180: a header row, fields quoted where
/// they need it, CRLF line ends), so that an export of any size starts at once and holds only a
/// few rows in memory:
///
/// ```swift
/// CSVResponse(filename: "items.csv", header: ["id", "title"]) { csv in
///     for try await item in items { try await csv.writeRow([item.id.uuidString, item.title]) }
/// }
/// ```
///
/// The rows are produced after the operation's unit of work has ended: read them from the
/// database itself, in batches (a slow client then holds no connection).
public struct CSVResponse: ResponseContent {
    public var filename: String?
    public var header: [String]
    public var headers: HTTPFields
    private let produce: @Sendable (inout CSVWriter) async throws -> Void

    /// - Parameters:
    ///   - filename: the name a browser saves it under (`Content-Disposition: attachment`).
    ///   - header: the first row, the columns' names.
    ///   - headers: more headers for the answer.
    ///   - produce: writes the other rows.
    public init(
        filename: String? = nil, header: [String], headers: HTTPFields = [:],
        rows produce: @escaping @Sendable (inout CSVWriter) async throws -> Void
    ) {
        self.filename = filename
        self.header = header
        self.headers = headers
        self.produce = produce
    }

    public func encoded(for request: Request) -> EncodedResponse {
        var headers = self.headers
        headers[.contentType] = "text/csv; charset=utf-8"
        if let filename { headers[.contentDisposition] = ContentDisposition.attachment(filename: filename) }
        let (header, produce) = (header, produce)
        return EncodedResponse(
            headers: headers,
            body: .stream(
                ResponseBody { output in
                    var writer = CSVWriter(output: BufferedBodyWriter(output))
                    try await writer.writeRow(header)
                    try await produce(&writer)
                    try await writer.output.finish()
                }))
    }

    public static func responseDocumentation(components: inout SchemaComponents) -> (mediaType: String, schema: JSONSchema?) {
        ("text/csv", .string)
    }
}

/// Writes the rows of a ``CSVResponse``.
public struct CSVWriter {
    var output: BufferedBodyWriter

    /// Sends what was written so far. Writes are gathered into pieces of 16 KB; call this before
    /// waiting for more (the next batch from the database), so the client is not kept waiting for
    /// what is ready.
    public mutating func flush() async throws {
        try await output.flush()
    }

    /// Writes one row; `nil` fields are left empty.
    public mutating func writeRow(_ fields: [String?]) async throws {
        var line = ""
        for (index, field) in fields.enumerated() {
            if index > 0 { line += "," }
            if let field { line += Self.escaped(field) }
        }
        try await output.append(line + "\r\n")
    }

    /// A field as RFC 4180 writes it: quoted when it holds a comma, a quote or a line break, its
    /// quotes doubled.
    static func escaped(_ field: String) -> String {
        guard field.contains(where: { $0 == "," || $0 == "\"" || $0.isNewline }) else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
