import AsyncHTTPClient
import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import JWTKit
import Logging
import NIOCore
import NIOHTTP1
import Synchronization
import TernAuth
import TernPrimitives
import TestSupport

/// A small OpenID Connect provider on loopback, for tests, served over real HTTP as the application
/// reaches real ones: a discovery document, its keys (ES256), an authorization endpoint that consents
/// at once, a token endpoint that checks the client's secret, the redirect URI, the PKCE verifier
/// and that each code is used once, and a user info endpoint.
///
/// Tests choose who signs in (``account``), and may spoil the ID token (``tamper``), sign it some
/// other way (``signing``), or rotate the keys.
final class FakeIdentityProvider: Sendable {
    struct Account: Sendable {
        var subject: String
        var email: String?
        var emailVerified: Bool = true
        var name: String? = "Fake Person"
    }

    /// How the next ID tokens are signed.
    enum Signing: Sendable {
        /// With the current published key, named in `kid`.
        case publishedKey
        /// With a key that is not published, under a `kid` that is not either.
        case unpublishedKey
        /// HS256 with the client secret (the algorithm-confusion attack).
        case clientSecretHMAC
        /// With the published key marked for encryption (`"use": "enc"`), not for signatures.
        case encryptionKey
    }

    /// The claims of the ID tokens it issues.
    struct IDToken: JWTPayload {
        var iss: String
        var sub: String
        var aud: [String]
        var exp: Int
        var iat: Int
        var nonce: String?
        var azp: String?
        var email: String?
        var email_verified: Bool?
        var name: String?

        func verify(using _: some JWTAlgorithm) throws {}
    }

    private struct Grant {
        let clientID: String
        let redirectURI: String
        let codeChallenge: String
        let nonce: String?
        let account: Account
    }

    private struct State {
        var account = Account(subject: "fake-subject-1", email: "someone@example.com")
        var tamper: (@Sendable (inout IDToken) -> Void)?
        var signing = Signing.publishedKey
        var keys: [(kid: String, key: ES256PrivateKey)] = [("key-1", ES256PrivateKey())]
        let encryptionKey = ES256PrivateKey()
        var advertisedAlgorithms = ["ES256", "HS256"]
        var grants: [String: Grant] = [:]
        var keyFetches = 0
        var includeEmailInIDToken = true
    }

    let clientID = "tern-test-client"
    /// Long enough to be an HS256 key (the algorithm-confusion test signs with it).
    let clientSecret = "fake-provider-client-secret-of-a-decent-length"
    let issuer: String
    private let state = Mutex(State())

    private init(issuer: String) {
        self.issuer = issuer
    }

    // MARK: What tests set

    var account: Account {
        get { state.withLock { $0.account } }
        set { state.withLock { $0.account = newValue } }
    }

    func tamper(_ change: (@Sendable (inout IDToken) -> Void)?) {
        state.withLock { $0.tamper = change }
    }

    func sign(_ signing: Signing) {
        state.withLock { $0.signing = signing }
    }

    /// The signing algorithms the discovery document advertises.
    func advertise(_ algorithms: [String]) {
        state.withLock { $0.advertisedAlgorithms = algorithms }
    }

    /// Leaves the email out of the ID token: the client must ask the user info endpoint.
    func omitEmailFromIDToken() {
        state.withLock { $0.includeEmailInIDToken = false }
    }

    /// Publishes a new key and signs with it from now on; the old one is withdrawn.
    func rotateKeys() {
        state.withLock { $0.keys = [("key-\($0.keys.count + 1)", ES256PrivateKey())] }
    }

    /// How many times the keys were fetched.
    var keyFetches: Int { state.withLock { $0.keyFetches } }

    /// The environment that makes the application offer this provider under each of `names` (as
    /// GitHub, for `github`).
    func settings(names: [String] = ["acme"]) -> [String: String] {
        var settings = ["OIDC_PROVIDERS": names.joined(separator: ","), "OIDC_CALLBACK_BASE_URL": "http://tern.test"]
        for name in names {
            let prefix = "OIDC_\(name.uppercased())_"
            settings[prefix + "ISSUER"] = issuer
            settings[prefix + "CLIENT_ID"] = clientID
            settings[prefix + "CLIENT_SECRET"] = clientSecret
        }
        return settings
    }

    // MARK: The browser's part

    /// Follows the application's redirect to the consent page, as a browser would, and returns where
    /// the provider sends the browser back to.
    func consent(at location: String) async throws -> String {
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(redirectConfiguration: .disallow))
        defer { _ = client.shutdown() }
        let response = try await client.execute(HTTPClientRequest(url: location), timeout: .seconds(10))
        guard response.status == .found, let back = response.headers.first(name: "location") else {
            throw FakeProviderError("the authorization endpoint answered \(response.status)")
        }
        return back
    }

    // MARK: Serving

    /// Runs a provider on a free loopback port for the duration of `body`.
    static func run(_ body: (FakeIdentityProvider) async throws -> Void) async throws {
        let holder = Mutex<FakeIdentityProvider?>(nil)
        let router = Router()
        router.get("/.well-known/openid-configuration") { _, _ in try holder.withLock { $0! }.discovery() }
        router.get("/jwks") { _, _ in try holder.withLock { $0! }.jwks() }
        router.get("/authorize") { request, _ in try holder.withLock { $0! }.authorize(request) }
        router.post("/token") { request, _ in try await holder.withLock { $0! }.token(request) }
        router.get("/userinfo") { request, _ in try holder.withLock { $0! }.userInfo(request) }
        // GitHub's endpoints (a GitHub Enterprise Server's paths), for the same accounts.
        router.get("/login/oauth/authorize") { request, _ in try holder.withLock { $0! }.authorize(request, openID: false) }
        router.post("/login/oauth/access_token") { request, _ in try await holder.withLock { $0! }.gitHubToken(request) }
        router.get("/api/v3/user") { request, _ in try holder.withLock { $0! }.gitHubUser(request) }
        router.get("/api/v3/user/emails") { request, _ in try holder.withLock { $0! }.gitHubEmails(request) }
        try await withLoopbackServer(router) { port in
            let provider = FakeIdentityProvider(issuer: "http://127.0.0.1:\(port)")
            holder.withLock { $0 = provider }
            try await body(provider)
        }
    }

    private func discovery() throws -> Response {
        let algorithms = state.withLock { $0.advertisedAlgorithms }
        return try json([
            "issuer": issuer, "authorization_endpoint": "\(issuer)/authorize", "token_endpoint": "\(issuer)/token",
            "jwks_uri": "\(issuer)/jwks", "userinfo_endpoint": "\(issuer)/userinfo",
            "id_token_signing_alg_values_supported": algorithms, "response_types_supported": ["code"],
            "code_challenge_methods_supported": ["plain", "S256"],
            "subject_types_supported": ["public"],
        ])
    }

    private func jwks() throws -> Response {
        let (keys, encryptionKey) = state.withLock { state in
            state.keyFetches += 1
            return (state.keys, state.encryptionKey)
        }
        let signing = keys.map { kid, key in
            ["kty": "EC", "crv": "P-256", "kid": kid, "use": "sig", "alg": "ES256", "x": key.parameters!.x, "y": key.parameters!.y]
        }
        // Keys a client must pass over, not choke on: one for encryption, a symmetric one, and one
        // of a curve jwt-kit does not know.
        let others = [
            [
                "kty": "EC", "crv": "P-256", "kid": "encryption", "use": "enc", "x": encryptionKey.parameters!.x,
                "y": encryptionKey.parameters!.y,
            ],
            ["kty": "oct", "kid": "symmetric", "k": "c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0"],
            ["kty": "OKP", "crv": "X25519", "kid": "exchange", "x": "hSDwCYkwp1R0i33ctD73Wg2_Og0mOBr066SpjqqbTmo"],
        ]
        return try json(["keys": others + signing])
    }

    /// Consents at once: back to the redirect URI with a code and the state.
    private func authorize(_ request: Request, openID: Bool = true) throws -> Response {
        let query = request.uri.queryParameters
        guard query["code_challenge_method"] == "S256",
            let clientID = query["client_id"].map(String.init), let redirectURI = query["redirect_uri"].map(String.init),
            let challenge = query["code_challenge"].map(String.init), let state = query["state"].map(String.init),
            !openID || (query["response_type"] == "code" && query["scope"]?.split(separator: " ").contains("openid") == true)
        else { return Response(status: .badRequest) }
        let code = Data(SecretBytes.random(16)).base64URLEncoded
        self.state.withLock {
            $0.grants[code] = Grant(
                clientID: clientID, redirectURI: redirectURI, codeChallenge: challenge, nonce: query["nonce"].map(String.init),
                account: $0.account)
        }
        let back = redirectURI + "?code=\(code)&state=\(state.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)"
        return Response(status: .found, headers: [.location: back])
    }

    /// Redeems a code once, for the client that asked for it (HTTP Basic), with the same redirect URI
    /// and the verifier of its challenge.
    private func token(_ request: Request) async throws -> Response {
        let form = try await self.form(request)
        let expectedAuthorization = "Basic " + Data("\(clientID):\(clientSecret)".utf8).base64EncodedString()
        guard request.headers[.authorization] == expectedAuthorization else {
            return try json(["error": "invalid_client"], status: .unauthorized)
        }
        guard form["grant_type"] == "authorization_code", let grant = redeem(form) else {
            return try json(["error": "invalid_grant"], status: .badRequest)
        }
        return try json([
            "access_token": "access-\(grant.account.subject)", "token_type": "Bearer", "id_token": try await idToken(for: grant),
        ])
    }

    /// GitHub's token endpoint: the client's secret in the form, and refusals answered with 200.
    private func gitHubToken(_ request: Request) async throws -> Response {
        let form = try await self.form(request)
        guard form["client_secret"] == clientSecret, let grant = redeem(form) else { return try json(["error": "bad_verification_code"]) }
        return try json(["access_token": "access-\(grant.account.subject)", "token_type": "bearer", "scope": "read:user,user:email"])
    }

    private func gitHubUser(_ request: Request) throws -> Response {
        let account = try gitHubAccount(request)
        return try json(["id": Int(account.subject.filter(\.isNumber)) ?? 0, "login": "fake", "name": account.name ?? "The Fake"])
    }

    private func gitHubEmails(_ request: Request) throws -> Response {
        let account = try gitHubAccount(request)
        return try json([
            ["email": "secondary@example.com", "primary": false, "verified": true],
            ["email": account.email ?? "", "primary": true, "verified": account.emailVerified],
        ])
    }

    /// The account whose access token the request carries (GitHub's API wants a User-Agent too).
    private func gitHubAccount(_ request: Request) throws -> Account {
        let account = state.withLock { $0.account }
        guard request.headers[.authorization] == "Bearer access-\(account.subject)", request.headers[.userAgent] != nil else {
            throw HTTPError(.unauthorized)
        }
        return account
    }

    private func form(_ request: Request) async throws -> [String: String] {
        let body = try await request.body.collect(upTo: 1 << 16)
        var form: [String: String] = [:]
        for pair in String(buffer: body).split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1).map { String($0).removingPercentEncoding ?? "" }
            if parts.count == 2 { form[parts[0]] = parts[1] }
        }
        return form
    }

    /// The grant of the form's code, used up, if the client, the redirect URI and the PKCE verifier
    /// are its.
    private func redeem(_ form: [String: String]) -> Grant? {
        let grant = state.withLock { $0.grants.removeValue(forKey: form["code"] ?? "") }
        guard let grant, grant.clientID == form["client_id"] ?? clientID, grant.redirectURI == form["redirect_uri"],
            let verifier = form["code_verifier"], Data(SHA256.hash(data: Data(verifier.utf8))).base64URLEncoded == grant.codeChallenge
        else { return nil }
        return grant
    }

    private func idToken(for grant: Grant) async throws -> String {
        let (tamper, signing, key, includeEmail, encryptionKey) = state.withLock {
            ($0.tamper, $0.signing, $0.keys.last!, $0.includeEmailInIDToken, $0.encryptionKey)
        }
        let now = Int(Date().timeIntervalSince1970)
        var claims = IDToken(
            iss: issuer, sub: grant.account.subject, aud: [clientID], exp: now + 300, iat: now, nonce: grant.nonce,
            email: includeEmail ? grant.account.email : nil, email_verified: includeEmail ? grant.account.emailVerified : nil,
            name: grant.account.name)
        tamper?(&claims)
        let keys = JWTKeyCollection()
        switch signing {
        case .publishedKey:
            await keys.add(ecdsa: key.key, kid: JWKIdentifier(string: key.kid))
            return try await keys.sign(claims, kid: JWKIdentifier(string: key.kid))
        case .unpublishedKey:
            await keys.add(ecdsa: ES256PrivateKey(), kid: "not-published")
            return try await keys.sign(claims, kid: "not-published")
        case .encryptionKey:
            await keys.add(ecdsa: encryptionKey, kid: "encryption")
            return try await keys.sign(claims, kid: "encryption")
        case .clientSecretHMAC:
            await keys.add(hmac: HMACKey(from: clientSecret), digestAlgorithm: .sha256, kid: JWKIdentifier(string: key.kid))
            return try await keys.sign(claims, kid: JWKIdentifier(string: key.kid))
        }
    }

    private func userInfo(_ request: Request) throws -> Response {
        let account = state.withLock { $0.account }
        guard request.headers[.authorization] == "Bearer access-\(account.subject)" else { return Response(status: .unauthorized) }
        return try json(["sub": account.subject, "email": account.email ?? "", "email_verified": account.emailVerified])
    }

    private func json(_ value: Any, status: HTTPResponse.Status = .ok) throws -> Response {
        let data = try JSONSerialization.data(withJSONObject: value)
        return Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}

struct FakeProviderError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
