/// A service people sign in with (an OpenID Connect issuer, GitHub): it sends the browser to its
/// consent page, and, given the code it sends back, says who signed in.
///
/// The authorization code flow with PKCE (RFC 7636) and `state` (RFC 9700 §2.1): the application
/// keeps the flow's secrets (``SignInFlow``) until the browser comes back, and hands them to
/// ``identity(for:)`` with the code.
public protocol IdentityProvider: Sendable {
    /// The name in the application's URLs and settings (`google`, `github`).
    var name: String { get }

    /// Where to send the browser to sign in.
    func authorizationURL(for request: AuthorizationRequest) async throws(SignInError) -> String

    /// Who signed in: the code exchanged, and what the provider answers checked.
    func identity(for callback: AuthorizationCallback) async throws(SignInError) -> ExternalIdentity
}

/// What the consent page is asked for.
public struct AuthorizationRequest: Sendable {
    /// Where the provider sends the browser back (registered with the provider).
    public var redirectURI: String
    public var state: String
    public var nonce: String
    /// The PKCE `S256` challenge of the flow's verifier.
    public var codeChallenge: String

    public init(redirectURI: String, state: String, nonce: String, codeChallenge: String) {
        self.redirectURI = redirectURI
        self.state = state
        self.nonce = nonce
        self.codeChallenge = codeChallenge
    }
}

/// What the browser brought back, with the flow's secrets to redeem it.
public struct AuthorizationCallback: Sendable {
    public var code: String
    public var redirectURI: String
    public var codeVerifier: String
    /// The nonce the ID token must carry.
    public var nonce: String

    public init(code: String, redirectURI: String, codeVerifier: String, nonce: String) {
        self.code = code
        self.redirectURI = redirectURI
        self.codeVerifier = codeVerifier
        self.nonce = nonce
    }
}
