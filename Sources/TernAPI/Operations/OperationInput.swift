import Foundation
import OpenAPIKit

/// The typed inputs of an operation, declared once as a struct with `@Input`:
///
/// ```swift
/// @Input
/// struct UpdateItemInput {
///     @Path var id: UUID
///     @Body var item: ItemUpdate
///     @Depends var user: CurrentUser
///     @Depends var items: ItemService
/// }
/// ```
///
/// The macro writes this conformance: how each value is read and validated, and how the inputs
/// appear in the OpenAPI document. Reading follows FastAPI's order: the body is parsed (malformed
/// JSON fails at once), dependencies are resolved (an authentication error fails at once), then
/// every parameter is validated and all problems are reported together as one 422.
public protocol OperationInput: Sendable {
    /// Reads and validates the inputs of one request.
    static func extract(from scope: RequestScope) async throws -> Self

    /// The path, query, header and cookie parameters, for the docs.
    static var parameters: [ParameterDescription] { get }

    /// The request body, for the docs.
    static var requestBody: RequestBodyDescription? { get }

    /// The dependencies declared with `@Depends`, for the docs (security, error responses).
    static var dependencies: [any Dependency.Type] { get }

    /// The names of the `@Path` properties as a type, `(Void, id: Void)`, sorted (`Void` for none),
    /// so that the compiler checks them against the route's `{placeholders}`.
    associatedtype PathParameterNames = Void
}

/// Where a parameter is read from.
public enum ParameterLocation: String, Sendable {
    case path, query, header, cookie
    /// A field of an `application/x-www-form-urlencoded` body (documented in the body, not as a parameter).
    case form
}

/// A parameter as the OpenAPI document shows it.
public struct ParameterDescription: Sendable {
    public let name: String
    public let location: ParameterLocation
    public let required: Bool
    public let options: FieldOptions
    /// Whether it is a form field that holds files (see ``FormFileValue``).
    public let holdsFiles: Bool
    let schema: @Sendable (inout SchemaComponents) -> JSONSchema

    public init<T: APIValue>(
        _ name: String, in location: ParameterLocation, _ type: T.Type, options: FieldOptions, required: Bool,
        default defaultValue: T? = nil
    ) {
        self.name = name
        self.location = location
        self.required = required
        self.options = options
        self.holdsFiles = T.self is any FormFileValue.Type
        let encodedDefault = defaultValue?.jsonValue
        self.schema = { components in
            let title = ObjectSchemaBuilder.title(for: name.replacingOccurrences(of: "-", with: "_"))
            var schema = T.jsonSchema(options: options.titled(title), components: &components)
            if let encodedDefault, let value = AnyCodable(json: encodedDefault) { schema = schema.with(defaultValue: value) }
            return required ? schema : schema.optionalSchemaObject()
        }
    }
}

/// A request body as the OpenAPI document shows it.
public struct RequestBodyDescription: Sendable {
    public enum Encoding: Sendable {
        case json
        case form
        /// Form fields with files (``UploadFile``).
        case multipart
    }

    public let encoding: Encoding
    public let required: Bool
    let schema: @Sendable (inout SchemaComponents, _ operationID: String) -> JSONSchema

    /// A JSON body of one type.
    public static func json<T: APIValue>(_ type: T.Type, options: FieldOptions = .none, required: Bool) -> Self {
        Self(encoding: .json, required: required) { components, _ in T.jsonSchema(options: options, components: &components) }
    }

    /// Form fields, gathered into a component named `Body_<operation id>` as FastAPI does
    /// (`Body_login-login_access_token`); `multipart/form-data` when one of them holds files.
    public static func form(_ fields: [ParameterDescription]) -> Self {
        let encoding: Encoding = fields.contains(where: \.holdsFiles) ? .multipart : .form
        return Self(encoding: encoding, required: fields.contains(where: \.required)) { components, operationID in
            components.register(name: "Body_\(operationID)") { components in
                var properties: OrderedDictionary<String, JSONSchema> = [:]
                for field in fields { properties[field.name] = field.schema(&components) }
                return .object(title: "Body_\(operationID)", properties: properties)
            }
        }
    }
}

/// The inputs of an operation that takes none.
public struct NoInput: OperationInput {
    public init() {}
    public static func extract(from scope: RequestScope) async throws -> NoInput { NoInput() }
    public static var parameters: [ParameterDescription] { [] }
    public static var requestBody: RequestBodyDescription? { nil }
    public static var dependencies: [any Dependency.Type] { [] }
}
