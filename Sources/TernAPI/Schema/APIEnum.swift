import OpenAPIKit

/// A string enumeration usable in requests and responses, documented as its own schema component:
///
/// ```swift
/// enum Color: String, APIEnum { case red, green, blue }
/// ```
///
/// An unknown value is reported as pydantic's `enum` error: `Input should be 'red', 'green' or 'blue'`.
public protocol APIEnum: APIValue, RawRepresentable, CaseIterable where RawValue == String {
    /// The component name in the OpenAPI document; the type's name by default.
    static var schemaName: String { get }
}

extension APIEnum {
    public static var schemaName: String { String(describing: Self.self) }

    public static func validate(
        _ input: JSONValue, at location: IssueLocation, options: FieldOptions, issues: inout ValidationIssues
    ) -> Self? {
        if case .string(let text) = input, let value = Self(rawValue: text) { return value }
        issues.report(.enumeration(expected: allCases.map(\.rawValue)), at: location, input: input)
        return nil
    }

    public static func jsonSchema(options: FieldOptions, components: inout SchemaComponents) -> JSONSchema {
        let reference = components.register(name: schemaName) { _ in
            JSONSchema.string(title: schemaName, allowedValues: allCases.map { AnyCodable($0.rawValue) })
        }
        return options.description.map { reference.with(description: $0) } ?? reference
    }

    public func writeJSON(to writer: inout JSONWriter) {
        writer.string(rawValue)
    }
}
