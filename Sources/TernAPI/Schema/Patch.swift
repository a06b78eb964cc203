import OpenAPIKit

/// A field of a partial update, which must tell "left out" from "set to null" (pydantic's
/// `exclude_unset`): `.unset` when the request does not mention the field, `.set(value)` when it
/// does, `null` included for optional values.
///
/// ```swift
/// @Schema
/// struct ItemUpdate {
///     @Field(minLength: 1, maxLength: 255) var title: Patch<String?> = .unset
/// }
/// ```
public enum Patch<Value: APIValue>: APIValue {
    case unset
    case set(Value)

    /// The value, when the request set one.
    public var value: Value? {
        if case .set(let value) = self { return value }
        return nil
    }

    public static func validate(
        _ input: JSONValue, at location: IssueLocation, options: FieldOptions, issues: inout ValidationIssues
    ) -> Patch? {
        Value.validate(input, at: location, options: options, issues: &issues).map(Patch.set)
    }

    public static func jsonSchema(options: FieldOptions, components: inout SchemaComponents) -> JSONSchema {
        Value.jsonSchema(options: options, components: &components)
    }

    public func writeJSON(to writer: inout JSONWriter) {
        switch self {
        case .unset: writer.null()
        case .set(let value): value.writeJSON(to: &writer)
        }
    }

}

extension Patch: Equatable where Value: Equatable {}
