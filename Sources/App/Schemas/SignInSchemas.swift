import TernAPI

/// An identity provider people may sign in with.
@Schema
struct IdentityProviderPublic {
    /// Its name, as in `OIDC_PROVIDERS`.
    var name: String
    /// Where to send the browser to sign in with it.
    var url: String
}

/// The identity providers people may sign in with.
@Schema
struct IdentityProvidersPublic {
    var data: [IdentityProviderPublic]
    var count: Int
}
