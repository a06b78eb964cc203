import Foundation
import Synchronization
import TernAuth
import TestSupport
import Testing

@testable import App
@testable import TernAPI

@Suite("Login", .timeLimit(.minutes(5)))
struct LoginTests {
    @Test("the OAuth2 password form returns a bearer token that identifies the user", arguments: Backend.allCases)
    func login(backend: Backend) async throws {
        try await TestApp.run(backend) { client, _ in
            let response = try await client.request(
                .post, "/login/access-token", form: "username=admin%40example.com&password=admin-password")
            #expect(response.status == 200)
            #expect(response.json["token_type"] == "bearer")
            let token = try #require(response.json["access_token"]?.stringValue)
            let me = try await client.post("/login/test-token", token: token)
            #expect(me.status == 200)
            #expect(me.json["email"] == "admin@example.com")
            #expect(me.json["is_superuser"] == true)
            #expect(me.json["hashed_password"] == nil)
        }
    }

    @Test("unknown email and wrong password get the same 400", arguments: Backend.allCases)
    func incorrectCredentials(backend: Backend) async throws {
        try await TestApp.run(backend) { client, _ in
            for form in ["username=nobody%40example.com&password=whatever1", "username=admin%40example.com&password=wrong-password"] {
                let response = try await client.request(.post, "/login/access-token", form: form)
                #expect(response.status == 400)
                #expect(response.detail == "Incorrect email or password")
            }
        }
    }

    @Test("an inactive user cannot log in", arguments: Backend.allCases)
    func inactive(backend: Backend) async throws {
        try await TestApp.run(backend) { client, app in
            _ = try await app.createUser(email: "sleepy@example.com", isActive: false)
            let response = try await client.request(
                .post, "/login/access-token", form: "username=sleepy%40example.com&password=user-password")
            #expect(response.status == 400)
            #expect(response.detail == "Inactive user")
        }
    }

    @Test("missing form fields and a wrong grant type are 422s", arguments: Backend.allCases)
    func formValidation(backend: Backend) async throws {
        try await TestApp.run(backend) { client, _ in
            let empty = try await client.request(.post, "/login/access-token", form: "")
            #expect(empty.status == 422)
            #expect(empty.detail?[0]?["loc"] == ["body", "username"])
            #expect(empty.detail?[1]?["loc"] == ["body", "password"])
            let grant = try await client.request(.post, "/login/access-token", form: "grant_type=client&username=a&password=b")
            #expect(grant.status == 422)
            #expect(grant.detail?[0]?["type"] == "string_pattern_mismatch")
        }
    }

    @Test("a legacy bcrypt hash logs in and is upgraded to argon2id", arguments: Backend.allCases)
    func bcryptUpgrade(backend: Backend) async throws {
        try await TestApp.run(backend) { client, app in
            // bcrypt of "legacy-password" (cost 4), as older systems stored it.
            let legacy = "$2b$04$WR9zzLfrwXzpix2yFmSuNe55Bk0.qeNFnnTfoRXsW3L9XpAvBNshG"
            let user = try await app.createUser(email: "legacy@example.com")
            try await UserRepository().updatePassword(id: user.id, hashedPassword: legacy, on: app.services.database)
            _ = try await client.login("legacy@example.com", "legacy-password")
            let stored = try #require(try await app.storedHash(of: user))
            #expect(stored.hasPrefix("$argon2id$"))
            _ = try await client.login("legacy@example.com", "legacy-password")
        }
    }

    @Test("the authentication ladder: 401, 403, 404, 400", arguments: Backend.allCases)
    func ladder(backend: Backend) async throws {
        try await TestApp.run(backend) { client, app in
            let none = try await client.post("/login/test-token")
            #expect(none.status == 401)
            #expect(none.detail == "Not authenticated")
            #expect(none.headers[.wwwAuthenticate] == "Bearer")
            let basic = try await client.request(.post, "/login/test-token", headers: [.authorization: "Basic YTpi"])
            #expect(basic.status == 401)

            for bad in ["not-a-jwt", "", "a.b.c"] {
                let response = try await client.post("/login/test-token", token: bad)
                #expect(response.status == 403)
                #expect(response.detail == "Could not validate credentials")
            }
            let foreign = try await TokenService(secret: "another-secret", accessTokenLifetime: .seconds(60))
                .accessToken(subject: UUID().uuidString.lowercased(), session: nil)
            #expect(try await client.post("/login/test-token", token: foreign).status == 403)
            let expired = try await app.services.tokens.accessToken(
                subject: UUID().uuidString.lowercased(), session: nil, now: Date(timeIntervalSinceNow: -10 * 24 * 3600))
            #expect(try await client.post("/login/test-token", token: expired).detail == "Could not validate credentials")
            let unsigned = "eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0.eyJzdWIiOiJ4IiwiZXhwIjo0MTAyNDQ0ODAwfQ."
            #expect(try await client.post("/login/test-token", token: unsigned).status == 403)

            let ghost = try await app.services.tokens.accessToken(subject: UUID().uuidString.lowercased(), session: nil)
            let missing = try await client.post("/login/test-token", token: ghost)
            #expect(missing.status == 404)
            #expect(missing.detail == "User not found")

            let sleepy = try await app.createUser(email: "sleepy@example.com", isActive: false)
            let inactive = try await client.post(
                "/login/test-token",
                token: try await app.services.tokens.accessToken(subject: sleepy.id.uuidString.lowercased(), session: nil))
            #expect(inactive.status == 400)
            #expect(inactive.detail == "Inactive user")
        }
    }
}

@Suite("Password recovery", .timeLimit(.minutes(5)))
struct PasswordRecoveryTests {
    @Test("recovery always answers the same; a registered user gets a link whose token resets the password", arguments: Backend.allCases)
    func recoverAndReset(backend: Backend) async throws {
        try await TestApp.run(backend, environment: ["SMTP_HOST": "smtp.example.com", "EMAILS_FROM_EMAIL": "noreply@example.com"]) {
            client, app in
            _ = try await app.createUser(email: "forgetful@example.com")
            let unknown = try await client.post("/password-recovery/nobody@example.com")
            #expect(unknown.status == 200)
            #expect(unknown.json["message"] == "If that email is registered, we sent a password recovery link")
            #expect(app.mailer.outbox.isEmpty)

            let known = try await client.post("/password-recovery/forgetful@example.com")
            #expect(known.json == unknown.json)
            let email = try #require(try await app.mailer.emails(count: 1).first)
            #expect(email.to == "forgetful@example.com")
            let link = try #require(email.html.range(of: "reset-password?token=")).upperBound
            let token = String(email.html[link...].prefix { $0 != "\"" && $0 != "<" })

            let reset = try await client.post("/reset-password/", json: ["token": .string(token), "new_password": "brand-new-password"])
            #expect(reset.status == 200)
            #expect(reset.json["message"] == "Password updated successfully")
            _ = try await client.login("forgetful@example.com", "brand-new-password")
        }
    }

    @Test("a reset link works once, and not at all once the password changed by another route", arguments: Backend.allCases)
    func resetTokenSingleUse(backend: Backend) async throws {
        try await TestApp.run(backend) { client, app in
            _ = try await app.createUser(email: "forgetful@example.com")
            func link() async throws -> String {
                let page = try await client.post(
                    "/password-recovery-html-content/forgetful@example.com", token: try await client.superuserToken())
                let start = try #require(page.text.range(of: "reset-password?token=")).upperBound
                return String(page.text[start...].prefix { $0 != "\"" && $0 != "<" })
            }
            func reset(_ token: String, to password: String) async throws -> TestResponse {
                try await client.post("/reset-password/", json: ["token": .string(token), "new_password": .string(password)])
            }
            let token = try await link()
            #expect(try await reset(token, to: "first-new-password").status == 200)
            let again = try await reset(token, to: "second-new-password")
            #expect(again.status == 400)
            #expect(again.detail == "Invalid token")
            _ = try await client.login("forgetful@example.com", "first-new-password")

            // A link sent before the user changed their password themselves is dead.
            let stale = try await link()
            let user = try await client.login("forgetful@example.com", "first-new-password")
            let change = try await client.patch(
                "/users/me/password", json: ["current_password": "first-new-password", "new_password": "changed-by-the-user"], token: user)
            #expect(change.status == 200)
            #expect(try await reset(stale, to: "third-new-password").detail == "Invalid token")
            _ = try await client.login("forgetful@example.com", "changed-by-the-user")
        }
    }

    @Test("the reference template's reset tokens (no type, no stamp) work once too", arguments: Backend.allCases)
    func legacyResetTokenSingleUse(backend: Backend) async throws {
        try await TestApp.run(backend) { client, app in
            _ = try await app.createUser(email: "forgetful@example.com")
            let token = LegacyTokens.passwordReset(email: "forgetful@example.com", secret: app.services.settings.secretKey)
            let first = try await client.post("/reset-password/", json: ["token": .string(token), "new_password": "first-new-password"])
            #expect(first.status == 200)
            let second = try await client.post("/reset-password/", json: ["token": .string(token), "new_password": "second-new-password"])
            #expect(second.detail == "Invalid token")
            _ = try await client.login("forgetful@example.com", "first-new-password")
        }
    }

    @Test("token confusion both ways: a reset token is no bearer token, an access token resets nothing", arguments: Backend.allCases)
    func tokenConfusion(backend: Backend) async throws {
        try await TestApp.run(backend) { client, app in
            let user = try await app.createUser(email: "someone@example.com")
            let access = try await client.login("someone@example.com", "user-password")
            let asReset = try await client.post(
                "/reset-password/", json: ["token": .string(access), "new_password": "long-enough-password"])
            #expect(asReset.detail == "Invalid token")
            let legacyAccess = LegacyTokens.access(subject: user.id.uuidString.lowercased(), secret: app.services.settings.secretKey)
            #expect(
                try await client.post("/reset-password/", json: ["token": .string(legacyAccess), "new_password": "long-enough-password"])
                    .detail == "Invalid token")

            // A reset token naming the user by id, as an access token does: still no access token.
            let reset = try await app.services.tokens.issue(
                .passwordReset, subject: user.id.uuidString.lowercased(), lifetime: .seconds(600)
            )
            .text
            let asBearer = try await client.post("/login/test-token", token: reset)
            #expect(asBearer.status == 403)
            #expect(asBearer.detail == "Could not validate credentials")
            let legacyReset = LegacyTokens.passwordReset(email: "someone@example.com", secret: app.services.settings.secretKey)
            #expect(try await client.post("/login/test-token", token: legacyReset).status == 403)
        }
    }

    @Test("an access token minted as the reference template mints it, with the same SECRET_KEY, is accepted", arguments: Backend.allCases)
    func legacyAccessToken(backend: Backend) async throws {
        try await TestApp.run(backend) { client, app in
            let user = try await app.createUser(email: "someone@example.com")
            let token = LegacyTokens.access(subject: user.id.uuidString.lowercased(), secret: app.services.settings.secretKey)
            let me = try await client.get("/users/me", token: token)
            #expect(me.status == 200)
            #expect(me.json["email"] == "someone@example.com")
            let expired = LegacyTokens.access(
                subject: user.id.uuidString.lowercased(), secret: app.services.settings.secretKey, lifetime: -60)
            #expect(try await client.get("/users/me", token: expired).status == 403)
        }
    }

    @Test("with the old SECRET_KEY in PREVIOUS_SECRET_KEYS, its tokens keep working after a rotation", arguments: Backend.allCases)
    func keyRotation(backend: Backend) async throws {
        let (old, new) = ("the-old-secret-key-of-a-decent-length", "the-new-secret-key-of-a-decent-length")
        try await TestDatabase.with(backend, migrated: true) { database in
            let tokens = Mutex<[String]>([])
            try await TestApp.run(database, environment: ["SECRET_KEY": old]) { client, app in
                let user = try await app.createUser(email: "someone@example.com")
                let signed = try await client.login("someone@example.com", "user-password")
                tokens.withLock { $0 = [signed, LegacyTokens.access(subject: user.id.uuidString.lowercased(), secret: old)] }
            }
            try await TestApp.run(database, environment: ["SECRET_KEY": new, "PREVIOUS_SECRET_KEYS": old]) { client, _ in
                for token in tokens.withLock({ $0 }) {
                    let response = try await client.get("/users/me", token: token)
                    #expect(response.status == 200)
                }
                let fresh = try await client.login("someone@example.com", "user-password")
                #expect(try await client.get("/users/me", token: fresh).status == 200)
            }
            // The old key removed once its tokens are no longer needed: they stop working.
            try await TestApp.run(database, environment: ["SECRET_KEY": new]) { client, _ in
                for token in tokens.withLock({ $0 }) {
                    let response = try await client.get("/users/me", token: token)
                    #expect(response.status == 403)
                }
            }
        }
    }

    @Test("cookie sessions are signed with SECRET_KEY and still read after a rotation that lists the old key")
    func cookieSessionKeys() async throws {
        let (old, new) = ("the-old-secret-key-of-a-decent-length", "the-new-secret-key-of-a-decent-length")
        try await TestDatabase.with(.sqlite, migrated: true) { database in
            let signed = Mutex("")
            try await TestApp.run(database, environment: ["SECRET_KEY": old]) { _, app in
                let sessions = app.services.cookieSessions
                #expect(!sessions.secure, "plain HTTP works in development")
                signed.withLock { $0 = sessions.signer.sign(Array("{}".utf8), cookieName: "cart") }
            }
            let value = signed.withLock { $0 }
            try await TestApp.run(database, environment: ["SECRET_KEY": new, "PREVIOUS_SECRET_KEYS": old]) { _, app in
                let sessions = app.services.cookieSessions
                let verified = sessions.signer.verify(value, cookieName: "cart", maxAge: sessions.maxAge)
                #expect(verified?.isSignedWithNewestKey == false, "read, and to be signed again")
            }
            try await TestApp.run(database, environment: ["SECRET_KEY": new, "ENVIRONMENT": "staging"]) { _, app in
                let sessions = app.services.cookieSessions
                #expect(sessions.signer.verify(value, cookieName: "cart", maxAge: sessions.maxAge) == nil, "the old key retired")
                #expect(sessions.secure)
            }
        }
    }

    @Test("a bad token, an unknown email, a short password", arguments: Backend.allCases)
    func resetErrors(backend: Backend) async throws {
        try await TestApp.run(backend) { client, app in
            let invalid = try await client.post("/reset-password/", json: ["token": "garbage", "new_password": "long-enough-password"])
            #expect(invalid.status == 400)
            #expect(invalid.detail == "Invalid token")
            let strangerToken = try await app.services.tokens.issue(.passwordReset, subject: "stranger@example.com", lifetime: .seconds(60))
                .text
            let stranger = try await client.post(
                "/reset-password/", json: ["token": .string(strangerToken), "new_password": "long-enough-password"])
            #expect(stranger.detail == "Invalid token")
            _ = try await app.createUser(email: "sleepy@example.com", isActive: false)
            let sleepyToken = LegacyTokens.passwordReset(email: "sleepy@example.com", secret: app.services.settings.secretKey)
            let sleepy = try await client.post(
                "/reset-password/", json: ["token": .string(sleepyToken), "new_password": "long-enough-password"])
            #expect(sleepy.status == 400)
            #expect(sleepy.detail == "Inactive user")
            let short = try await client.post("/reset-password/", json: ["token": "x", "new_password": "short"])
            #expect(short.status == 422)
            #expect(short.detail?[0]?["type"] == "string_too_short")
        }
    }

    @Test("superusers preview the recovery email as HTML; others may not", arguments: Backend.allCases)
    func htmlPreview(backend: Backend) async throws {
        try await TestApp.run(backend) { client, app in
            let token = try await client.superuserToken()
            let page = try await client.post("/password-recovery-html-content/admin@example.com", token: token)
            #expect(page.status == 200)
            #expect(page.headers[.contentType]?.hasPrefix("text/html") == true)
            #expect(page.headers[HTTPField.Name("subject")!]?.contains("Password recovery for user admin@example.com") == true)
            #expect(page.text.contains("reset-password?token="))
            // The whole page: the layout's partials rendered around the message.
            #expect(page.text.hasPrefix("<!DOCTYPE html>"))
            #expect(page.text.contains("</body></html>"))
            let unknown = try await client.post("/password-recovery-html-content/nobody@example.com", token: token)
            #expect(unknown.status == 404)
            #expect(unknown.detail == "The user with this username does not exist in the system.")
            _ = try await app.createUser(email: "plain@example.com")
            let plain = try await client.login("plain@example.com", "user-password")
            let refused = try await client.post("/password-recovery-html-content/admin@example.com", token: plain)
            #expect(refused.status == 403)
            #expect(refused.detail == "The user doesn't have enough privileges")
        }
    }
}
