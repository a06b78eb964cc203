import OpenAPIKit

/// The named schemas of an OpenAPI document (`#/components/schemas/...`), filled as operations are
/// described: each type is described once and referred to everywhere else.
public struct SchemaComponents: Sendable {
    /// The schemas, by component name, in the order they were first used.
    public private(set) var schemas: OrderedDictionary<String, JSONSchema> = [:]

    public init() {}

    /// Registers a component (described by `describe` the first time) and returns a reference to it.
    public mutating func register(name: String, _ describe: (inout SchemaComponents) -> JSONSchema) -> JSONSchema {
        if schemas[name] == nil {
            // Reserve the name first, so that recursive types refer to themselves instead of looping.
            schemas[name] = .fragment(.init())
            schemas[name] = describe(&self)
        }
        return .reference(.component(named: name))
    }
}
