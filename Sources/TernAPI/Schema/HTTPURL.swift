import OpenAPIKit

/// An `http` or `https` URL, pydantic's `HttpUrl`: at most 2083 characters, parsed and normalised
/// as browsers do (WHATWG URL): scheme and host lowercased, the default port dropped, `.` and `..`
/// segments resolved, spaces and non-ASCII characters percent-encoded, international domain names
/// in punycode, and a path of at least `/`.
///
/// ```swift
/// @Schema struct Link { var website: HTTPURL }   // "HTTPS://Example.com:443" → "https://example.com/"
/// ```
public struct HTTPURL: Sendable, Hashable, CustomStringConvertible, APIValue {
    /// The normalised URL.
    public let absoluteString: String

    /// The longest URL accepted, as pydantic's `HttpUrl`.
    public static let maxLength = 2083

    /// Parses and normalises `text`; `nil` if it is not an http(s) URL.
    public init?(_ text: String) {
        guard case .url(let url) = Self.parse(text) else { return nil }
        self = url
    }

    private init(normalized: String) {
        absoluteString = normalized
    }

    public var description: String { absoluteString }

    private enum Parsed {
        case url(HTTPURL)
        case issue(IssueKind)
    }

    /// The URL, or the issue pydantic reports for `text`.
    private static func parse(_ text: String) -> Parsed {
        if text.unicodeScalars.count > maxLength { return .issue(.urlTooLong(maxLength: maxLength)) }
        switch WHATWGURL.parse(text) {
        case .failure(let error): return .issue(.urlParsing(error: error.message))
        case .success(let url) where url.scheme != "http" && url.scheme != "https": return .issue(.urlScheme)
        case .success(let url): return .url(HTTPURL(normalized: url.serialized))
        }
    }

    public static func validate(
        _ input: JSONValue, at location: IssueLocation, options: FieldOptions, issues: inout ValidationIssues
    ) -> HTTPURL? {
        guard case .string(let text) = input else {
            issues.report(.urlType, at: location, input: input)
            return nil
        }
        switch parse(text) {
        case .url(let url): return url
        case .issue(let kind):
            issues.report(kind, at: location, input: input)
            return nil
        }
    }

    public static func jsonSchema(options: FieldOptions, components: inout SchemaComponents) -> JSONSchema {
        options.apply(
            to: .string(
                format: .other("uri"), deprecated: options.deprecatedFlag, title: options.title, minLength: 1, maxLength: maxLength))
    }

    public func writeJSON(to writer: inout JSONWriter) {
        writer.string(absoluteString)
    }
}
