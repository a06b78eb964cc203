/// A permission an operation requires and a credential grants: `items:read`. FastAPI's security
/// scopes, declared as typed values so a misspelt scope does not compile:
///
/// ```swift
/// extension Scope {
///     static let itemsRead = Scope("items:read", description: "Read your items")
/// }
///
/// @GET("/items", scopes: [.itemsRead])
/// ```
///
/// Operations declare the scopes they need (routers for all their operations); the dependency that
/// authenticates the request grants the scopes of its credential (``RequestScope/grant(_:challenge:)``),
/// and the operation runs only when every required scope was granted. The OpenAPI document lists them
/// on each operation's security requirement and under the OAuth2 scheme.
public struct Scope: Hashable, Sendable {
    /// The scope as tokens and the `scope` form field spell it: no spaces.
    public let name: String
    /// What it allows, for the docs.
    public let description: String

    public init(_ name: String, description: String) {
        precondition(!name.isEmpty && !name.contains(" "), "a scope name is one word: '\(name)'")
        self.name = name
        self.description = description
    }

    // Two scopes with one name are one scope, whatever their descriptions say.
    public static func == (left: Scope, right: Scope) -> Bool { left.name == right.name }
    public func hash(into hasher: inout Hasher) { hasher.combine(name) }
}
