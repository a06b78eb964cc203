/// The identity providers an application offers, by name, in the order configured.
public struct IdentityProviders: Sendable {
    public let all: [any IdentityProvider]
    private let byName: [String: any IdentityProvider]

    public init(_ providers: [any IdentityProvider]) {
        all = providers
        byName = Dictionary(providers.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
    }

    public subscript(name: String) -> (any IdentityProvider)? {
        byName[name]
    }
}
