import OpenAPIKit

/// A type declared once with `@Schema`, which gives it validation, JSON output and a JSON Schema.
///
/// ```swift
/// /// Properties to receive on item creation.
/// @Schema
/// struct ItemCreate {
///     @Field(minLength: 1, maxLength: 255) var title: String
///     @Field(maxLength: 255) var description: String?
/// }
/// ```
///
/// Fields are named in snake_case on the wire (`ownerId` is `owner_id`) unless `@Field(name:)` says
/// otherwise. Optional fields may be absent or `null`; fields with a default value may be absent.
/// Doc comments become descriptions in the API docs. The macro writes this conformance; adopting
/// the protocol by hand is possible but rarely useful.
public protocol APISchema: APIValue {
    /// The component name in the OpenAPI document.
    static var schemaName: String { get }

    /// Validates the members of a JSON object, recording every problem; `nil` when any field is invalid.
    init?(validating object: JSONObject, at location: IssueLocation, issues: inout ValidationIssues)

    /// The object schema: properties, required list, descriptions.
    static func objectSchema(components: inout SchemaComponents) -> JSONSchema
}

extension APISchema {
    public static func validate(
        _ input: JSONValue, at location: IssueLocation, options: FieldOptions, issues: inout ValidationIssues
    ) -> Self? {
        guard case .object(let object) = input else {
            issues.report(.modelAttributesType, at: location, input: input)
            return nil
        }
        return Self(validating: object, at: location.flattened(), issues: &issues)
    }

    public static func jsonSchema(options: FieldOptions, components: inout SchemaComponents) -> JSONSchema {
        let reference = components.register(name: schemaName) { components in objectSchema(components: &components) }
        return options.description.map { reference.with(description: $0) } ?? reference
    }
}
