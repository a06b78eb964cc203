/// The login form of OAuth2's password flow (FastAPI's `OAuth2PasswordRequestForm`), sent as
/// `application/x-www-form-urlencoded`: `username` and `password` are required, `grant_type` must be
/// `password` when present, `scope` is a space-separated list.
@Input
public struct OAuth2PasswordRequestForm: InputDependency {
    @Form(pattern: "^password$") public var grantType: String?
    @Form public var username: String
    @Form(format: .password) public var password: String
    @Form public var scope: String = ""
    @Form public var clientId: String?
    @Form(format: .password) public var clientSecret: String?

    /// The requested scopes.
    public var scopes: [String] {
        scope.split(separator: " ").map(String.init)
    }
}
