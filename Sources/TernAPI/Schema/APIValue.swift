import OpenAPIKit

/// A type that can appear in a request or response: validated from JSON (or from a query, path,
/// header or cookie string), written back as JSON, and described in the OpenAPI document.
///
/// Strings, numbers, booleans, UUIDs, dates, arrays and optionals conform, as do `@Schema` types and
/// string enums that adopt ``APIEnum``.
public protocol APIValue: Sendable {
    /// Checks and converts a value; on failure records issues at `location` and returns `nil`.
    static func validate(_ input: JSONValue, at location: IssueLocation, options: FieldOptions, issues: inout ValidationIssues) -> Self?

    /// The JSON Schema of the type with these options, registering any component schemas it uses.
    static func jsonSchema(options: FieldOptions, components: inout SchemaComponents) -> JSONSchema

    /// Writes the value as JSON.
    func writeJSON(to writer: inout JSONWriter)

    /// Whether a query parameter of this type collects every occurrence (`?tag=a&tag=b`).
    static var isList: Bool { get }
}

extension APIValue {
    public static var isList: Bool { false }

    /// The value as a JSON tree (used for defaults and examples in the docs).
    public var jsonValue: JSONValue {
        var writer = JSONWriter()
        writeJSON(to: &writer)
        return (try? JSONParser.parse(writer.bytes)) ?? .null
    }
}

extension FieldOptions {
    /// The description and example, for schemas whose constructor does not take them.
    func apply(to schema: JSONSchema) -> JSONSchema {
        var schema = schema
        if let description { schema = schema.with(description: description) }
        if let example, let encoded = AnyCodable(json: example), let withExample = try? schema.with(example: encoded) {
            schema = withExample
        }
        return schema
    }

    /// `deprecated: true` for the docs, or nothing.
    var deprecatedFlag: Bool? { deprecated ? true : nil }
}

extension AnyCodable {
    /// Converts a JSON tree for OpenAPIKit (defaults, examples).
    init?(json: JSONValue) {
        switch json {
        case .null: self.init(nil as String?)
        case .bool(let bool): self.init(bool)
        case .integer(let integer): self.init(integer)
        case .double(let double): self.init(double)
        case .string(let string): self.init(string)
        case .array(let array): self.init(array.compactMap { AnyCodable(json: $0) })
        case .object(let object):
            var dictionary: [String: AnyCodable] = [:]
            for member in object.members { dictionary[member.key] = AnyCodable(json: member.value) }
            self.init(dictionary)
        }
    }
}

extension APIValue {
    /// The value of `input`, validated as a body is (GraphQL's arguments, a message): a
    /// ``RequestValidationError`` listing every problem, located from `location`, when it is invalid.
    public static func validated(_ input: JSONValue, at location: IssueLocation = [], options: FieldOptions = .none) throws -> Self {
        var issues = ValidationIssues()
        guard let value = validate(input, at: location, options: options, issues: &issues) else {
            throw RequestValidationError(issues.all)
        }
        return value
    }
}
