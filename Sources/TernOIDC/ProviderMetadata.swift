/// The parts of an issuer's discovery document (OpenID Connect Discovery 1.0 §3) a sign-in uses.
struct ProviderMetadata: Decodable, Sendable {
    let issuer: String
    let authorizationEndpoint: String
    let tokenEndpoint: String
    let jwksURI: String
    let userinfoEndpoint: String?
    let idTokenSigningAlgValuesSupported: [String]?
    let tokenEndpointAuthMethodsSupported: [String]?
    let codeChallengeMethodsSupported: [String]?

    private enum CodingKeys: String, CodingKey {
        case issuer
        case authorizationEndpoint = "authorization_endpoint"
        case tokenEndpoint = "token_endpoint"
        case jwksURI = "jwks_uri"
        case userinfoEndpoint = "userinfo_endpoint"
        case idTokenSigningAlgValuesSupported = "id_token_signing_alg_values_supported"
        case tokenEndpointAuthMethodsSupported = "token_endpoint_auth_methods_supported"
        case codeChallengeMethodsSupported = "code_challenge_methods_supported"
    }

    /// Checks what Discovery §4.3 requires: the document is the configured issuer's own, and its
    /// endpoints are no less secure than the issuer's address (HTTPS, unless the issuer itself is a
    /// plain-HTTP one, as in a test on loopback). An issuer that says it cannot do PKCE with
    /// `S256` is not used.
    func check(issuer expected: String) throws(SignInError) {
        guard issuer == expected else {
            throw .unavailable("the discovery document names issuer \(issuer), not \(expected)")
        }
        if let methods = codeChallengeMethodsSupported, !methods.contains("S256") {
            throw .unavailable("the issuer does not support PKCE with S256")
        }
        guard expected.hasPrefix("https://") else { return }
        for endpoint in [authorizationEndpoint, tokenEndpoint, jwksURI] + (userinfoEndpoint.map { [$0] } ?? [])
        where !endpoint.hasPrefix("https://") {
            throw .unavailable("the discovery document's endpoint \(endpoint) is not HTTPS")
        }
    }

    /// The client authenticates at the token endpoint with HTTP Basic, the default (OpenID Connect
    /// Core §9), unless the provider only takes the secret in the form.
    var prefersSecretInForm: Bool {
        guard let methods = tokenEndpointAuthMethodsSupported else { return false }
        return !methods.contains("client_secret_basic") && methods.contains("client_secret_post")
    }
}

/// What a token endpoint answers (RFC 6749 §5.1, OpenID Connect Core §3.1.3.3).
struct TokenResponse: Decodable, Sendable {
    let accessToken: String?
    let idToken: String?
    let error: String?

    private enum CodingKeys: String, CodingKey {
        case accessToken = "access_token"
        case idToken = "id_token"
        case error
    }
}
