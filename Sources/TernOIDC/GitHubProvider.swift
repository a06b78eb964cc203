import AsyncHTTPClient
import Foundation
import NIOCore

/// Sign-in with GitHub (or GitHub Enterprise Server), which speaks OAuth 2.0 but not OpenID
/// Connect: there is no ID token, so who signed in is asked of its API with the access token the
/// code is exchanged for, and the email is the account's primary one, used only if GitHub
/// verified it.
///
/// PKCE and `state` protect the flow as with an OpenID Connect issuer; there is no nonce to check,
/// since nothing signed comes back.
public struct GitHubProvider: IdentityProvider {
    public let name: String
    private let webURL: String
    private let apiURL: String
    private let clientID: String
    private let clientSecret: String
    private let http: ProviderHTTP

    /// - Parameters:
    ///   - name: the name in the application's URLs and settings.
    ///   - webURL: `https://github.com`, or a GitHub Enterprise Server's address (whose API
    ///     is then under `/api/v3`).
    ///   - clientID: the OAuth app's client id.
    ///   - clientSecret: the OAuth app's client secret.
    ///   - client: the HTTP client to reach GitHub with; by default one shared by every provider,
    ///     which follows no redirect.
    ///   - timeout: how long each call to GitHub may take.
    public init(
        name: String = "github", webURL: String = "https://github.com", clientID: String, clientSecret: String,
        client: HTTPClient? = nil, timeout: Duration = .seconds(10)
    ) {
        self.name = name
        let webURL = webURL.hasSuffix("/") ? String(webURL.dropLast()) : webURL
        self.webURL = webURL
        apiURL = webURL == "https://github.com" ? "https://api.github.com" : "\(webURL)/api/v3"
        self.clientID = clientID
        self.clientSecret = clientSecret
        http = ProviderHTTP(client: client ?? ProviderHTTP.sharedClient, timeout: TimeAmount(timeout))
    }

    public func authorizationURL(for request: AuthorizationRequest) async throws(SignInError) -> String {
        FormEncoding.url(
            "\(webURL)/login/oauth/authorize",
            adding: [
                ("client_id", clientID), ("redirect_uri", request.redirectURI), ("scope", "read:user user:email"),
                ("state", request.state), ("code_challenge", request.codeChallenge), ("code_challenge_method", "S256"),
            ])
    }

    public func identity(for callback: AuthorizationCallback) async throws(SignInError) -> ExternalIdentity {
        let tokens = try await http.post(
            "\(webURL)/login/oauth/access_token",
            form: [
                ("client_id", clientID), ("client_secret", clientSecret), ("code", callback.code),
                ("redirect_uri", callback.redirectURI), ("code_verifier", callback.codeVerifier),
            ], as: TokenResponse.self)
        // GitHub answers a refused code with 200 and an `error` field.
        guard let accessToken = tokens.accessToken else { throw .refused("GitHub refused the code: \(tokens.error ?? "no access token")") }
        let headers = [
            ("Authorization", "Bearer \(accessToken)"), ("Accept", "application/vnd.github+json"),
            // GitHub's API refuses requests without one.
            ("User-Agent", "tern"),
        ]
        let user = try await http.get("\(apiURL)/user", as: GitHubUser.self, headers: headers)
        let emails = try await http.get("\(apiURL)/user/emails", as: [GitHubEmail].self, headers: headers)
        let primary = emails.first { $0.primary }
        return ExternalIdentity(
            provider: name, issuer: webURL, subject: String(user.id), email: primary?.email, emailVerified: primary?.verified ?? false,
            name: user.name ?? user.login)
    }
}

/// `GET /user`: the account's stable id, and how to call it.
private struct GitHubUser: Decodable {
    let id: Int64
    let login: String
    let name: String?
}

/// One of `GET /user/emails`.
private struct GitHubEmail: Decodable {
    let email: String
    let primary: Bool
    let verified: Bool
}
