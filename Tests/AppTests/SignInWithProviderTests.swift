import Foundation
import HTTPTypes
import TernAPI
import TernAuth
import TernDatabase
import TernOIDC
import TestSupport
import Testing

@testable import App

/// Signing in with an OpenID Connect provider: the authorization code flow with PKCE, `state` and
/// `nonce`, against a provider on loopback (``FakeIdentityProvider``); accounts linked by the
/// provider's subject, or matched by an email it verified.
@Suite("Sign in with an identity provider", .timeLimit(.minutes(5)))
struct SignInWithProviderTests {
    private static let callbackPrefix = "http://tern.test/api/v1"

    /// What the browser holds after the trip to the provider: where it was sent back, and the cookie.
    private struct Trip {
        let callbackPath: String
        let cookie: String
    }

    /// Starts a sign-in and follows it through the provider's consent page, as a browser would.
    private func visitProvider(_ client: TestClient, _ provider: FakeIdentityProvider, name: String = "acme") async throws -> Trip {
        let begun = try await client.request(.get, "/login/oidc/\(name)")
        #expect(begun.status == 302, "\(begun.text)")
        let location = try #require(begun.headers[.location])
        let setCookie = try #require(begun.headers[.setCookie])
        let back = try await provider.consent(at: location)
        #expect(back.hasPrefix(Self.callbackPrefix + "/login/oidc/\(name)/callback?"))
        return Trip(
            callbackPath: String(back.dropFirst(Self.callbackPrefix.count)),
            cookie: String(setCookie.prefix { $0 != ";" }))
    }

    private func complete(_ client: TestClient, _ trip: Trip, path: String? = nil, cookie: String? = nil) async throws -> TestResponse {
        try await client.request(.get, path ?? trip.callbackPath, headers: [.cookie: cookie ?? trip.cookie])
    }

    /// The whole sign-in; the callback's answer.
    private func signIn(_ client: TestClient, _ provider: FakeIdentityProvider, name: String = "acme") async throws -> TestResponse {
        try await complete(client, try await visitProvider(client, provider, name: name))
    }

    private func me(_ client: TestClient, _ response: TestResponse) async throws -> JSONValue {
        let token = try #require(response.json["access_token"]?.stringValue, "\(response.text)")
        return try await client.get("/users/me", token: token).json
    }

    private func run(
        _ backend: Backend, names: [String] = ["acme"], _ body: @Sendable (TestClient, TestApp, FakeIdentityProvider) async throws -> Void
    ) async throws {
        try await FakeIdentityProvider.run { provider in
            try await TestApp.run(backend, environment: provider.settings(names: names)) { client, app in
                try await body(client, app, provider)
            }
        }
    }

    @Test("the redirect asks for a code with PKCE S256, state and nonce, and keeps them in a sealed cookie", arguments: [Backend.sqlite])
    func redirect(backend: Backend) async throws {
        try await run(backend) { client, app, provider in
            let begun = try await client.request(.get, "/login/oidc/acme")
            #expect(begun.status == 302)
            let location = try #require(begun.headers[.location].flatMap { URLComponents(string: $0) })
            let query = Dictionary(uniqueKeysWithValues: (location.queryItems ?? []).map { ($0.name, $0.value ?? "") })
            #expect(location.path == "/authorize")
            #expect(query["response_type"] == "code" && query["client_id"] == provider.clientID)
            #expect(query["redirect_uri"] == "http://tern.test/api/v1/login/oidc/acme/callback")
            #expect(query["code_challenge_method"] == "S256" && query["code_challenge"]?.count == 43)
            #expect(query["scope"] == "openid email profile")
            let state = try #require(query["state"])
            let nonce = try #require(query["nonce"])
            let cookie = try #require(begun.headers[.setCookie])
            #expect(cookie.hasPrefix("sign_in_flow="))
            #expect(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax") && cookie.contains("Path=/api/v1/login/oidc/acme"))
            // Sealed: neither the state, nor the nonce, nor the verifier can be read from it.
            let value = String(cookie.dropFirst("sign_in_flow=".count).prefix { $0 != ";" })
            #expect(!value.contains(state) && !value.contains(nonce))
            let flow = try #require(app.services.signInFlows.open(value))
            #expect(flow.state == state && flow.nonce == nonce && PKCE.challenge(for: flow.codeVerifier) == query["code_challenge"])

            let listed = try await client.get("/login/oidc/")
            #expect(listed.json == ["data": [["name": "acme", "url": "/api/v1/login/oidc/acme"]], "count": 1])
            #expect(try await client.request(.get, "/login/oidc/nowhere").detail == "Identity provider not found")

            // Documented as the redirect it is: a Location, no content.
            let document = try await client.get("/openapi.json").json
            let redirect = document["paths"]?["/api/v1/login/oidc/{provider}"]?["get"]?["responses"]?["302"]
            #expect(redirect?["headers"]?["Location"] != nil && redirect?["content"] == nil)
            #expect(document["paths"]?["/api/v1/login/oidc/{provider}/callback"]?["get"]?["responses"]?["200"] != nil)
        }
    }

    @Test("a new account is made for a verified email, and found again by the provider's subject", arguments: Backend.allCases)
    func newAccount(backend: Backend) async throws {
        try await run(backend) { client, app, provider in
            let first = try await signIn(client, provider)
            #expect(first.status == 200, "\(first.text)")
            #expect(first.json["token_type"] == "bearer" && first.json["refresh_token"]?.stringValue != nil)
            let user = try await me(client, first)
            #expect(user["email"] == "someone@example.com" && user["is_verified"] == true && user["full_name"] == "Fake Person")
            #expect(first.headers[.setCookie]?.hasPrefix("sign_in_flow=;") == true, "the flow's cookie is cleared")

            // The email changes at the provider: the link is by subject, so it is the same user.
            provider.account.email = "renamed@example.com"
            let again = try await signIn(client, provider)
            #expect(try await me(client, again)["id"] == user["id"])
            let count = try await app.services.database.queryFirst(#"SELECT count(*) FROM "user""#, as: Int.self)
            #expect(count == 2, "the superuser and the one made at the first sign-in")
        }
    }

    @Test("an existing account is linked by the email the provider verified; an unverified one is claimed", arguments: Backend.allCases)
    func linkByEmail(backend: Backend) async throws {
        try await run(backend) { client, app, provider in
            // A verified account keeps its password and sessions.
            let verified = try await app.createUser(email: "verified@example.com")
            _ = try await UserRepository().update(id: verified.id, .init(isVerified: true), on: app.services.database)
            let session = try await client.login("verified@example.com", "user-password")
            provider.account = .init(subject: "subject-verified", email: "Verified@Example.com")
            let linked = try await me(client, try await signIn(client, provider))
            #expect(linked["id"] == .string(verified.id.uuidString.lowercased()))
            #expect(try await client.get("/users/me", token: session).status == 200)
            #expect(try await client.login("verified@example.com", "user-password").isEmpty == false)

            // An account signed up with someone else's email, never verified: the provider proves who
            // owns it, and whoever signed it up loses it.
            let squatter = try await client.post(
                "/users/signup", json: ["email": "victim@example.com", "password": "squatter-password"])
            #expect(squatter.status == 200)
            let squatterToken = try await client.login("victim@example.com", "squatter-password")
            provider.account = .init(subject: "subject-victim", email: "victim@example.com")
            let claimed = try await me(client, try await signIn(client, provider))
            #expect(claimed["email"] == "victim@example.com" && claimed["is_verified"] == true)
            #expect(try await client.get("/users/me", token: squatterToken).status != 200)
            let login = try await client.request(
                .post, "/login/access-token", form: "username=victim%40example.com&password=squatter-password")
            #expect(login.detail == "Incorrect email or password")
        }
    }

    @Test("claiming an account also cuts the links and second factor whoever set it up had", arguments: Backend.allCases)
    func claimCutsLinks(backend: Backend) async throws {
        try await run(backend, names: ["acme", "github"]) { client, app, provider in
            // The attacker signs in with GitHub, then points the account's email at the victim's address.
            provider.account = .init(subject: "666", email: "attacker@example.com")
            let attacker = try await signIn(client, provider, name: "github")
            let attackerToken = try #require(attacker.json["access_token"]?.stringValue)
            let moved = try await client.patch("/users/me", json: ["email": "victim@example.com"], token: attackerToken)
            #expect(moved.status == 200 && moved.json["is_verified"] == false)

            // The victim signs in with the other provider, which verified the address.
            provider.account = .init(subject: "subject-victim", email: "victim@example.com")
            let victim = try await me(client, try await signIn(client, provider))
            #expect(victim["id"] == moved.json["id"])
            let links = try await app.services.database.query("SELECT provider FROM user_identity ORDER BY provider", as: String.self)
            #expect(links == ["acme"], "the attacker's GitHub link is gone")

            // The attacker's GitHub account now finds nothing of the victim's.
            provider.account = .init(subject: "666", email: "attacker@example.com")
            let again = try await me(client, try await signIn(client, provider, name: "github"))
            #expect(again["id"] != victim["id"] && again["email"] == "attacker@example.com")
        }
    }

    @Test("an email the provider did not verify matches no one, and makes no account", arguments: Backend.allCases)
    func unverifiedEmail(backend: Backend) async throws {
        try await run(backend) { client, app, provider in
            _ = try await app.createUser(email: "owner@example.com")
            provider.account = .init(subject: "subject-claimer", email: "owner@example.com", emailVerified: false)
            let refused = try await signIn(client, provider)
            #expect(refused.status == 403)
            #expect(refused.detail == "The identity provider has not verified this account's email")
            provider.account = .init(subject: "subject-nobody", email: "nobody@example.com", emailVerified: false)
            #expect(try await signIn(client, provider).status == 403)
            let count = try await app.services.database.queryFirst(#"SELECT count(*) FROM "user""#, as: Int.self)
            #expect(count == 2)
        }
    }

    @Test("the callback must belong to this browser's sign-in, and its code works once", arguments: [Backend.sqlite])
    func flowChecks(backend: Backend) async throws {
        try await run(backend, names: ["acme", "github"]) { client, _, provider in
            let failed = "Sign-in with the identity provider failed"
            let trip = try await visitProvider(client, provider)
            // No cookie, or a forged one.
            #expect(try await client.request(.get, trip.callbackPath).detail == .string(failed))
            #expect(try await complete(client, trip, cookie: "sign_in_flow=forged").detail == .string(failed))
            // Another sign-in's cookie (a login CSRF: an attacker's code in the victim's browser).
            let other = try await visitProvider(client, provider)
            #expect(try await complete(client, trip, cookie: other.cookie).detail == .string(failed))
            // The state altered.
            let alteredState = trip.callbackPath.replacingOccurrences(of: "state=", with: "state=x")
            #expect(try await complete(client, trip, path: alteredState).detail == .string(failed))
            // The right pair works, once: the provider refuses the code the second time.
            #expect(try await complete(client, trip).status == 200)
            #expect(try await complete(client, trip).detail == .string(failed))
            // The user declined at the provider.
            let declined = "/login/oidc/acme/callback?error=access_denied&state=whatever"
            #expect(try await complete(client, other, path: declined).detail == .string(failed))
            // Another provider's callback, with this one's cookie, code and state.
            let third = try await visitProvider(client, provider)
            let elsewhere = third.callbackPath.replacingOccurrences(of: "/oidc/acme/", with: "/oidc/github/")
            #expect(try await complete(client, third, path: elsewhere).detail == .string(failed))
            #expect(try await complete(client, other, path: "/login/oidc/other/callback?code=c&state=s").status == 404)
        }
    }

    @Test("an ID token is refused unless issuer, audience, nonce, expiry, algorithm and key all check out", arguments: [Backend.sqlite])
    func idTokenChecks(backend: Backend) async throws {
        try await run(backend) { client, _, provider in
            let spoilers: [(String, @Sendable (inout FakeIdentityProvider.IDToken) -> Void)] = [
                ("another issuer", { $0.iss = "https://evil.example.com" }),
                ("another audience", { $0.aud = ["someone-else"] }),
                (
                    "another party among several audiences",
                    {
                        $0.aud.append("someone-else")
                        $0.azp = "someone-else"
                    }
                ),
                ("several audiences, no azp", { $0.aud.append("someone-else") }),
                ("another nonce", { $0.nonce = "replayed" }),
                ("no nonce", { $0.nonce = nil }),
                ("expired", { $0.exp -= 3600 }),
                ("issued in the future", { $0.iat += 3600 }),
            ]
            for (reason, spoil) in spoilers {
                provider.tamper(spoil)
                let response = try await signIn(client, provider)
                #expect(response.status == 400, "\(reason): \(response.text)")
            }
            provider.tamper(nil)
            for signing in [FakeIdentityProvider.Signing.clientSecretHMAC, .unpublishedKey, .encryptionKey] {
                provider.sign(signing)
                let response = try await signIn(client, provider)
                #expect(response.status == 400, "\(signing): \(response.text)")
            }
            provider.sign(.publishedKey)
            #expect(try await signIn(client, provider).status == 200)
        }
    }

    @Test("the email comes from the user info endpoint when the ID token leaves it out", arguments: [Backend.sqlite])
    func userInfo(backend: Backend) async throws {
        try await run(backend) { client, _, provider in
            provider.omitEmailFromIDToken()
            provider.account = .init(subject: "subject-info", email: "info@example.com")
            let user = try await me(client, try await signIn(client, provider))
            #expect(user["email"] == "info@example.com")
        }
    }

    @Test("accounts with two-factor authentication, and inactive ones, are not signed in", arguments: Backend.allCases)
    func guardedAccounts(backend: Backend) async throws {
        try await run(backend) { client, app, provider in
            provider.account = .init(subject: "subject-guarded", email: "guarded@example.com")
            let user = try await me(client, try await signIn(client, provider))
            let id = try #require(user["id"]?.stringValue.flatMap(UUID.init(uuidString:)))
            _ = try await app.services.twoFactor.begin(for: id, account: "guarded@example.com", issuer: "Tern", on: app.services.database)
            let secret = try await app.services.database.queryFirst("SELECT sealed_secret FROM auth_totp", as: String.self)
            let totp = TOTP(secret: try #require(secret.flatMap { SecretBox(secrets: ["test-secret-key-of-a-decent-length"]).open($0) }))
            _ = try await app.services.twoFactor.confirm(for: id, code: totp.code(step: totp.step(at: Date())), on: app.services.database)
            let guarded = try await signIn(client, provider)
            #expect(guarded.status == 403)
            #expect(guarded.detail == "This account uses two-factor authentication: log in with its password and code")
            // Refused before anything is linked: a verified account with a second factor, never linked.
            provider.account = .init(subject: "subject-unlinked", email: "guarded@example.com")
            #expect(try await signIn(client, provider).status == 403)
            let links = try await app.services.database.query("SELECT subject FROM user_identity", as: String.self)
            #expect(links == ["subject-guarded"])
            provider.account = .init(subject: "subject-guarded", email: "guarded@example.com")

            try await app.services.twoFactor.disable(for: id, on: app.services.database)
            _ = try await UserRepository().update(id: id, .init(isActive: false), on: app.services.database)
            #expect(try await signIn(client, provider).detail == "Inactive user")
        }
    }

    @Test(
        "GitHub: the account and its primary email come from its API, the email used only if GitHub verified it",
        arguments: Backend.allCases)
    func gitHub(backend: Backend) async throws {
        try await run(backend, names: ["github"]) { client, app, provider in
            provider.account = .init(subject: "4242", email: "octo@example.com", name: "Octo Cat")
            let trip = try await visitProvider(client, provider, name: "github")
            let signedIn = try await complete(client, trip)
            let user = try await me(client, signedIn)
            #expect(user["email"] == "octo@example.com" && user["is_verified"] == true && user["full_name"] == "Octo Cat")
            #expect(try await complete(client, trip).status == 400, "a code works once")
            let subject = try await app.services.database.queryFirst(
                "SELECT subject FROM user_identity WHERE provider = 'github'", as: String.self)
            #expect(subject == "4242")

            provider.account = .init(subject: "4343", email: "unverified@example.com", emailVerified: false)
            #expect(try await signIn(client, provider, name: "github").status == 403)
        }
    }

    @Test("a provider that cannot be reached answers 502", arguments: [Backend.sqlite])
    func unreachable(backend: Backend) async throws {
        let environment = [
            "OIDC_PROVIDERS": "acme", "OIDC_ACME_ISSUER": "http://127.0.0.1:9", "OIDC_ACME_CLIENT_ID": "id",
            "OIDC_ACME_CLIENT_SECRET": "secret",
        ]
        try await TestApp.run(backend, environment: environment) { client, _ in
            let response = try await client.request(.get, "/login/oidc/acme")
            #expect(response.status == 502)
            #expect(response.detail == "The identity provider could not be reached")
        }
    }
}

/// The provider client on its own: the issuer's keys are read again when a token names a new one.
@Suite("OpenID Connect provider keys", .timeLimit(.minutes(2)))
struct OpenIDProviderKeyTests {
    /// A code and the flow it belongs to, from the fake provider's consent page.
    private func authorize(_ client: OpenIDProvider, _ fake: FakeIdentityProvider) async throws -> AuthorizationCallback {
        let flow = SignInFlow(provider: "acme", lifetime: .seconds(60))
        let redirectURI = "http://tern.test/callback"
        let back = try await fake.consent(at: try await client.authorizationURL(for: flow.authorizationRequest(redirectURI: redirectURI)))
        let query = try #require(URLComponents(string: back)?.queryItems)
        let code = try #require(query.first { $0.name == "code" }?.value)
        let state = try #require(query.first { $0.name == "state" }?.value)
        return try flow.callback(provider: "acme", state: state, code: code, redirectURI: redirectURI)
    }

    @Test("an algorithm the issuer does not advertise is refused, whatever key signed it")
    func advertisedAlgorithms() async throws {
        try await FakeIdentityProvider.run { fake in
            fake.advertise(["RS256"])
            let client = OpenIDProvider(name: "acme", issuer: fake.issuer, clientID: fake.clientID, clientSecret: fake.clientSecret)
            await #expect(throws: SignInError.self) { try await client.identity(for: try await authorize(client, fake)) }
        }
    }

    @Test("a flow is good for its provider and state, until it expires")
    func flowExpiry() throws {
        let flow = SignInFlow(provider: "acme", lifetime: .seconds(600), now: Date(timeIntervalSince1970: 1000))
        let inTime = Date(timeIntervalSince1970: 1599)
        #expect(throws: Never.self) { try flow.callback(provider: "acme", state: flow.state, code: "c", redirectURI: "r", now: inTime) }
        #expect(throws: SignInError.self) {
            try flow.callback(provider: "other", state: flow.state, code: "c", redirectURI: "r", now: inTime)
        }
        #expect(throws: SignInError.self) { try flow.callback(provider: "acme", state: "forged", code: "c", redirectURI: "r", now: inTime) }
        let late = Date(timeIntervalSince1970: 1601)
        #expect(throws: SignInError.self) { try flow.callback(provider: "acme", state: flow.state, code: "c", redirectURI: "r", now: late) }
    }

    @Test("rotated keys are fetched again; unknown key ids do not make it fetch again within the minute")
    func rotation() async throws {
        try await FakeIdentityProvider.run { fake in
            let eager = OpenIDProvider(
                name: "acme", issuer: fake.issuer, clientID: fake.clientID, clientSecret: fake.clientSecret, keyRefreshInterval: .zero)
            #expect(try await eager.identity(for: try await authorize(eager, fake)).subject == "fake-subject-1")
            #expect(fake.keyFetches == 1)
            _ = try await eager.identity(for: try await authorize(eager, fake))
            #expect(fake.keyFetches == 1, "the keys are kept")
            fake.rotateKeys()
            #expect(try await eager.identity(for: try await authorize(eager, fake)).email == "someone@example.com")
            #expect(fake.keyFetches == 2)

            let patient = OpenIDProvider(name: "acme", issuer: fake.issuer, clientID: fake.clientID, clientSecret: fake.clientSecret)
            _ = try await patient.identity(for: try await authorize(patient, fake))
            let fetches = fake.keyFetches
            fake.sign(.unpublishedKey)
            for _ in 0..<3 {
                await #expect(throws: SignInError.self) { try await patient.identity(for: try await authorize(patient, fake)) }
            }
            #expect(fake.keyFetches == fetches, "keys fetched within the minute are not fetched again for unknown key ids")
        }
    }
}
