import AsyncHTTPClient
import Foundation
import JWTKit
import NIOCore
import TernAuth
import TernPrimitives

/// Sign-in with an OpenID Connect issuer (Google, Microsoft Entra ID, Keycloak, Auth0, ...), found
/// through its discovery document: the authorization code flow with PKCE, and the ID token verified
/// against the issuer's published keys (OpenID Connect Core §3.1).
///
/// The discovery document is read once; the keys are read when first needed, again when a token
/// names a key not among them (the issuer rotated its keys), at most once per `keyRefreshInterval`,
/// and again when they are older than `keysMaxAge`, so a key the issuer withdrew stops being
/// trusted. (Two sign-ins at once may both read them: the actor lets the second in while the first
/// waits for the issuer.)
public actor OpenIDProvider: IdentityProvider {
    public nonisolated let name: String
    private let issuer: String
    private let clientID: String
    private let clientSecret: String
    private let scopes: [String]
    private let http: ProviderHTTP
    private let keyRefreshInterval: Duration
    private let keysMaxAge: Duration

    private var metadata: ProviderMetadata?
    private var keys: IssuerKeys?

    /// Signatures an ID token may use: asymmetric ones, so that no one who knows the client secret
    /// (or nothing, with `none`) can sign one.
    static let acceptedAlgorithms: Set = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA"]

    /// - Parameters:
    ///   - name: the name in the application's URLs and settings (`google`).
    ///   - issuer: the issuer's identifier (`https://accounts.google.com`); its discovery document
    ///     is at `<issuer>/.well-known/openid-configuration`.
    ///   - clientID: the client id registered with the issuer.
    ///   - clientSecret: the client secret registered with the issuer.
    ///   - scopes: what the consent page asks for; `openid` is always among them.
    ///   - client: the HTTP client to reach the issuer with; by default one shared by every
    ///     provider, which follows no redirect (a token request redirected elsewhere would carry
    ///     the code and the client's credentials with it).
    ///   - timeout: how long each call to the issuer may take.
    ///   - keyRefreshInterval: the least time between two readings of the issuer's keys prompted by
    ///     a token that names a key not among them.
    ///   - keysMaxAge: how long the keys read are trusted before they are read again.
    public init(
        name: String, issuer: String, clientID: String, clientSecret: String, scopes: [String] = ["openid", "email", "profile"],
        client: HTTPClient? = nil, timeout: Duration = .seconds(10), keyRefreshInterval: Duration = .seconds(60),
        keysMaxAge: Duration = .seconds(3600)
    ) {
        self.name = name
        self.issuer = issuer
        self.clientID = clientID
        self.clientSecret = clientSecret
        self.scopes = scopes.contains("openid") ? scopes : ["openid"] + scopes
        http = ProviderHTTP(client: client ?? ProviderHTTP.sharedClient, timeout: TimeAmount(timeout))
        self.keyRefreshInterval = keyRefreshInterval
        self.keysMaxAge = keysMaxAge
    }

    public func authorizationURL(for request: AuthorizationRequest) async throws(SignInError) -> String {
        FormEncoding.url(
            try await discovered().authorizationEndpoint,
            adding: [
                ("response_type", "code"), ("client_id", clientID), ("redirect_uri", request.redirectURI),
                ("scope", scopes.joined(separator: " ")), ("state", request.state), ("nonce", request.nonce),
                ("code_challenge", request.codeChallenge), ("code_challenge_method", "S256"),
            ])
    }

    public func identity(for callback: AuthorizationCallback) async throws(SignInError) -> ExternalIdentity {
        let metadata = try await discovered()
        let tokens = try await redeem(callback, at: metadata)
        guard let idToken = tokens.idToken else { throw .refused("the token endpoint answered without an ID token") }
        let claims = try await verify(idToken, metadata: metadata)
        try claims.check(issuer: metadata.issuer, clientID: clientID, nonce: callback.nonce, now: Date())
        let identity = ExternalIdentity(
            provider: name, issuer: metadata.issuer, subject: claims.sub.value, email: claims.email,
            emailVerified: claims.emailVerified?.value ?? false,
            name: claims.name)
        guard identity.email == nil, let endpoint = metadata.userinfoEndpoint, let accessToken = tokens.accessToken else {
            return identity
        }
        return try await withUserInfo(identity, from: endpoint, accessToken: accessToken)
    }

    // MARK: The issuer's documents

    private func discovered() async throws(SignInError) -> ProviderMetadata {
        if let metadata { return metadata }
        let url = issuer.hasSuffix("/") ? "\(issuer).well-known/openid-configuration" : "\(issuer)/.well-known/openid-configuration"
        let fetched = try await http.get(url, as: ProviderMetadata.self)
        try fetched.check(issuer: issuer)
        metadata = fetched
        return fetched
    }

    /// The issuer's keys, read again when they are too old or (at most once per
    /// `keyRefreshInterval`) when they lack `kid`.
    private func currentKeys(having kid: String?, metadata: ProviderMetadata) async throws(SignInError) -> IssuerKeys {
        let now = ContinuousClock.now
        if let keys {
            let fresh = keys.fetchedAt.duration(to: now) < keysMaxAge
            let knowsKey = kid.map { keys.algorithms[$0] != nil } ?? true
            if fresh && (knowsKey || keys.fetchedAt.duration(to: now) < keyRefreshInterval) { return keys }
        }
        let fetched = try await IssuerKeys(try await http.get(metadata.jwksURI, as: PublishedKeys.self), fetchedAt: now)
        keys = fetched
        return fetched
    }

    // MARK: The flow's steps

    /// Exchanges the code (with the PKCE verifier) for tokens at the token endpoint.
    private func redeem(_ callback: AuthorizationCallback, at metadata: ProviderMetadata) async throws(SignInError) -> TokenResponse {
        var form = [
            ("grant_type", "authorization_code"), ("code", callback.code), ("redirect_uri", callback.redirectURI),
            ("code_verifier", callback.codeVerifier), ("client_id", clientID),
        ]
        var headers: [(String, String)] = []
        if metadata.prefersSecretInForm {
            form.append(("client_secret", clientSecret))
        } else {
            // RFC 6749 §2.3.1: each part form-encoded before they are joined.
            let credentials = "\(FormEncoding.escape(clientID)):\(FormEncoding.escape(clientSecret))"
            headers.append(("Authorization", "Basic \(Data(credentials.utf8).base64EncodedString())"))
        }
        return try await http.post(metadata.tokenEndpoint, form: form, as: TokenResponse.self, headers: headers)
    }

    /// The ID token's claims once its header names an accepted algorithm and a key of the issuer's,
    /// and its signature checks out with that key.
    private func verify(_ idToken: String, metadata: ProviderMetadata) async throws(SignInError) -> IDTokenClaims {
        guard let header = JOSEHeader(of: idToken) else { throw .refused("the ID token is not a JWT") }
        let advertised = metadata.idTokenSigningAlgValuesSupported ?? ["RS256"]
        guard Self.acceptedAlgorithms.contains(header.alg), advertised.contains(header.alg) else {
            throw .refused("the ID token is signed with \(header.alg), which is not accepted")
        }
        let keys = try await currentKeys(having: header.kid, metadata: metadata)
        if let kid = header.kid {
            guard let stated = keys.algorithms[kid] else { throw .refused("the ID token names a key the issuer does not publish") }
            // RFC 8725 §3.1: a key is used with its own algorithm only.
            if let stated, stated != header.alg { throw .refused("the ID token's algorithm is not its key's") }
        }
        do {
            // Without kid, each of the issuer's keys is tried.
            return try await keys.collection.verify(idToken, as: IDTokenClaims.self, iteratingKeys: header.kid == nil)
        } catch {
            throw .refused("the ID token's signature does not check out: \(error)")
        }
    }

    /// Fills in the email from the user info endpoint, for issuers that leave it out of ID tokens.
    /// Its `sub` must be the ID token's (OpenID Connect Core §5.3.2).
    private func withUserInfo(
        _ identity: ExternalIdentity, from endpoint: String, accessToken: String
    ) async throws(SignInError)
        -> ExternalIdentity
    {
        let info = try await http.get(endpoint, as: UserInfo.self, headers: [("Authorization", "Bearer \(accessToken)")])
        guard info.sub == identity.subject else { throw .refused("the user info is about another subject") }
        var identity = identity
        identity.email = info.email
        identity.emailVerified = info.emailVerified?.value ?? false
        identity.name = identity.name ?? info.name
        return identity
    }
}

/// An issuer's published keys, ready to verify with.
private struct IssuerKeys: Sendable {
    let collection: JWTKeyCollection
    /// Each usable key's id, with the algorithm the key states, if it states one.
    let algorithms: [String: String?]
    let fetchedAt: ContinuousClock.Instant

    init(_ published: PublishedKeys, fetchedAt: ContinuousClock.Instant) async throws(SignInError) {
        let collection = JWTKeyCollection()
        var algorithms: [String: String?] = [:]
        for key in published.keys where key.use == nil || key.use == "sig" {
            guard let jwk = key.jwk, let kid = jwk.keyIdentifier?.string, (try? await collection.add(jwk: jwk)) != nil else { continue }
            algorithms[kid] = key.alg
        }
        guard !algorithms.isEmpty else { throw .unavailable("the issuer publishes no signing key this can use") }
        self.collection = collection
        self.algorithms = algorithms
        self.fetchedAt = fetchedAt
    }
}

/// A key set (RFC 7517 §5) read key by key: a key this cannot use (of a type or algorithm jwt-kit
/// does not know, or without `kid`) is skipped, where decoding the set whole would fail on it.
private struct PublishedKeys: Decodable {
    struct Key: Decodable {
        let jwk: JWK?
        /// `sig` or `enc`: only signing keys verify ID tokens.
        let use: String?
        let alg: String?

        private enum CodingKeys: String, CodingKey {
            case use, alg
        }

        init(from decoder: any Decoder) throws {
            jwk = try? JWK(from: decoder)
            let container = try decoder.container(keyedBy: CodingKeys.self)
            use = try? container.decodeIfPresent(String.self, forKey: .use)
            alg = try? container.decodeIfPresent(String.self, forKey: .alg)
        }
    }

    let keys: [Key]
}

/// The header fields of a JWT that decide how to verify it.
private struct JOSEHeader: Decodable {
    let alg: String
    let kid: String?

    init?(of token: String) {
        guard let segment = token.split(separator: ".", omittingEmptySubsequences: false).first,
            let data = Data(base64URLEncoded: segment),
            let header = try? JSONDecoder().decode(JOSEHeader.self, from: data)
        else { return nil }
        self = header
    }
}

/// The user info endpoint's answer (OpenID Connect Core §5.3.2).
private struct UserInfo: Decodable {
    let sub: String
    let email: String?
    let emailVerified: BoolClaim?
    let name: String?

    private enum CodingKeys: String, CodingKey {
        case sub, email, name
        case emailVerified = "email_verified"
    }
}
