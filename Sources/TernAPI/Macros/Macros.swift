import HTTPTypes

// The macros that turn one declaration into validation, serialization and documentation.
// Their implementations live in the TernAPIMacros compiler plugin.

/// Makes a struct an ``APISchema``: see there.
@attached(extension, conformances: APISchema, names: arbitrary)
public macro Schema(name: String? = nil) = #externalMacro(module: "TernAPIMacros", type: "SchemaMacro")

/// Constraints and documentation of a schema field, and the ``FieldValidator`` types that check it
/// further, in order.
@attached(peer)
public macro Field(
    name: String? = nil, description: String? = nil, minLength: Int? = nil, maxLength: Int? = nil,
    pattern: String? = nil, format: StringFormat? = nil, gt: Double? = nil, ge: Double? = nil, lt: Double? = nil,
    le: Double? = nil, minItems: Int? = nil, maxItems: Int? = nil, items: FieldOptions? = nil, deprecated: Bool = false,
    example: JSONValue? = nil, validators: [any FieldValidator.Type] = []
) = #externalMacro(module: "TernAPIMacros", type: "MarkerMacro")

/// Makes a struct an ``OperationInput``: see there.
@attached(extension, conformances: OperationInput, names: arbitrary)
public macro Input() = #externalMacro(module: "TernAPIMacros", type: "InputMacro")

/// A path parameter (`/items/{id}`).
@attached(peer)
public macro Path(
    name: String? = nil, description: String? = nil, minLength: Int? = nil, maxLength: Int? = nil,
    pattern: String? = nil, format: StringFormat? = nil, gt: Double? = nil, ge: Double? = nil, lt: Double? = nil,
    le: Double? = nil, deprecated: Bool = false, example: JSONValue? = nil
) = #externalMacro(module: "TernAPIMacros", type: "MarkerMacro")

/// A query parameter; an array collects repeated parameters.
@attached(peer)
public macro Query(
    name: String? = nil, description: String? = nil, minLength: Int? = nil, maxLength: Int? = nil,
    pattern: String? = nil, format: StringFormat? = nil, gt: Double? = nil, ge: Double? = nil, lt: Double? = nil,
    le: Double? = nil, minItems: Int? = nil, maxItems: Int? = nil, items: FieldOptions? = nil, deprecated: Bool = false,
    example: JSONValue? = nil
) = #externalMacro(module: "TernAPIMacros", type: "MarkerMacro")

/// A header; `userAgent` reads `user-agent`.
@attached(peer)
public macro Header(
    name: String? = nil, description: String? = nil, minLength: Int? = nil, maxLength: Int? = nil,
    pattern: String? = nil, format: StringFormat? = nil, gt: Double? = nil, ge: Double? = nil, lt: Double? = nil,
    le: Double? = nil, deprecated: Bool = false, example: JSONValue? = nil
) = #externalMacro(module: "TernAPIMacros", type: "MarkerMacro")

/// A cookie.
@attached(peer)
public macro Cookie(
    name: String? = nil, description: String? = nil, minLength: Int? = nil, maxLength: Int? = nil,
    pattern: String? = nil, format: StringFormat? = nil, deprecated: Bool = false, example: JSONValue? = nil
) = #externalMacro(module: "TernAPIMacros", type: "MarkerMacro")

/// The JSON request body, validated as the property's type.
@attached(peer)
public macro Body(description: String? = nil) = #externalMacro(module: "TernAPIMacros", type: "MarkerMacro")

/// A field of an `application/x-www-form-urlencoded` body.
@attached(peer)
public macro Form(
    name: String? = nil, description: String? = nil, minLength: Int? = nil, maxLength: Int? = nil,
    pattern: String? = nil, format: StringFormat? = nil, deprecated: Bool = false, example: JSONValue? = nil
) = #externalMacro(module: "TernAPIMacros", type: "MarkerMacro")

/// A ``Dependency``, resolved for the request.
@attached(peer)
public macro Depends() = #externalMacro(module: "TernAPIMacros", type: "MarkerMacro")

/// Makes a struct an ``APIRouter`` of its `@GET`/`@POST`/`@PUT`/`@PATCH`/`@DELETE` methods.
@attached(extension, conformances: APIRouter, names: named(groupOptions), named(operations), named(__checkPathParameters))
public macro APIRouter(
    prefix: String = "", tags: [String] = [], dependencies: [any Dependency.Type] = [], rateLimits: [RateLimitRule] = [],
    scopes: [Scope] = []
) =
    #externalMacro(module: "TernAPIMacros", type: "APIRouterMacro")

/// A `GET` operation at `path` (relative to the router's prefix).
@attached(peer)
public macro GET(
    _ path: String, status: HTTPResponse.Status = .ok, summary: String? = nil, description: String? = nil,
    tags: [String] = [], deprecated: Bool = false, operationID: String? = nil, responses: [Int: String] = [:],
    errors: [any APIErrorConvertible] = [], includeInSchema: Bool = true, rateLimits: [RateLimitRule] = [],
    cache: HTTPCachePolicy? = nil, scopes: [Scope] = [], maxBodySize: Int? = nil
) = #externalMacro(module: "TernAPIMacros", type: "MarkerMacro")

/// A `POST` operation at `path`.
@attached(peer)
public macro POST(
    _ path: String, status: HTTPResponse.Status = .ok, summary: String? = nil, description: String? = nil,
    tags: [String] = [], deprecated: Bool = false, operationID: String? = nil, responses: [Int: String] = [:],
    errors: [any APIErrorConvertible] = [], includeInSchema: Bool = true, rateLimits: [RateLimitRule] = [],
    cache: HTTPCachePolicy? = nil, scopes: [Scope] = [], maxBodySize: Int? = nil
) = #externalMacro(module: "TernAPIMacros", type: "MarkerMacro")

/// A `PUT` operation at `path`.
@attached(peer)
public macro PUT(
    _ path: String, status: HTTPResponse.Status = .ok, summary: String? = nil, description: String? = nil,
    tags: [String] = [], deprecated: Bool = false, operationID: String? = nil, responses: [Int: String] = [:],
    errors: [any APIErrorConvertible] = [], includeInSchema: Bool = true, rateLimits: [RateLimitRule] = [],
    cache: HTTPCachePolicy? = nil, scopes: [Scope] = [], maxBodySize: Int? = nil
) = #externalMacro(module: "TernAPIMacros", type: "MarkerMacro")

/// A `PATCH` operation at `path`.
@attached(peer)
public macro PATCH(
    _ path: String, status: HTTPResponse.Status = .ok, summary: String? = nil, description: String? = nil,
    tags: [String] = [], deprecated: Bool = false, operationID: String? = nil, responses: [Int: String] = [:],
    errors: [any APIErrorConvertible] = [], includeInSchema: Bool = true, rateLimits: [RateLimitRule] = [],
    cache: HTTPCachePolicy? = nil, scopes: [Scope] = [], maxBodySize: Int? = nil
) = #externalMacro(module: "TernAPIMacros", type: "MarkerMacro")

/// A `DELETE` operation at `path`.
@attached(peer)
public macro DELETE(
    _ path: String, status: HTTPResponse.Status = .ok, summary: String? = nil, description: String? = nil,
    tags: [String] = [], deprecated: Bool = false, operationID: String? = nil, responses: [Int: String] = [:],
    errors: [any APIErrorConvertible] = [], includeInSchema: Bool = true, rateLimits: [RateLimitRule] = [],
    cache: HTTPCachePolicy? = nil, scopes: [Scope] = [], maxBodySize: Int? = nil
) = #externalMacro(module: "TernAPIMacros", type: "MarkerMacro")
