import Crypto
import Foundation
import TernAPI
import TernAuth
import TernDatabase
import TestSupport
import Testing

@testable import App

/// Refresh tokens, rotation and reuse detection, logout, and the revocations that passwords and
/// deactivation bring (RFC 9700 §4.14).
@Suite("Sessions", .timeLimit(.minutes(5)))
struct SessionTests {
    private func refresh(_ client: TestClient, _ token: String) async throws -> TestResponse {
        try await client.post("/login/refresh", json: ["refresh_token": .string(token)])
    }

    private func pair(_ response: TestResponse) throws -> (access: String, refresh: String) {
        #expect(response.status == 200, "\(response.text)")
        return (try #require(response.json["access_token"]?.stringValue), try #require(response.json["refresh_token"]?.stringValue))
    }

    @Test("a refresh rotates the pair; the old token reused after the grace window revokes the whole family", arguments: Backend.allCases)
    func rotationAndReuse(backend: Backend) async throws {
        try await TestApp.run(backend, environment: ["REFRESH_TOKEN_REUSE_GRACE_SECONDS": "0"]) { client, app in
            _ = try await app.createUser(email: "someone@example.com")
            let first = try await client.signIn("someone@example.com", "user-password")
            let second = try pair(try await refresh(client, first.refresh))
            #expect(second.refresh != first.refresh)
            #expect(try await client.post("/login/test-token", token: second.access).status == 200)

            // A thief replays the first token: refused, and the family is revoked.
            let replay = try await refresh(client, first.refresh)
            #expect(replay.status == 401)
            #expect(replay.detail == "Invalid refresh token")
            // The legitimate holder's next refresh fails, and so do the session's access tokens.
            #expect(try await refresh(client, second.refresh).status == 401)
            #expect(try await client.post("/login/test-token", token: second.access).status == 403)
            #expect(try await client.post("/login/test-token", token: first.access).status == 403)
            // Another sign-in is a new session, unaffected.
            let fresh = try await client.signIn("someone@example.com", "user-password")
            #expect(try await client.post("/login/test-token", token: fresh.access).status == 200)
        }
    }

    @Test("within the grace window a used refresh token gets a new pair instead (a lost answer)", arguments: Backend.allCases)
    func graceWindow(backend: Backend) async throws {
        try await TestApp.run(backend, environment: ["REFRESH_TOKEN_REUSE_GRACE_SECONDS": "300"]) { client, app in
            _ = try await app.createUser(email: "someone@example.com")
            let first = try await client.signIn("someone@example.com", "user-password")
            let lost = try pair(try await refresh(client, first.refresh))
            let retried = try pair(try await refresh(client, first.refresh))
            #expect(try await client.post("/login/test-token", token: retried.access).status == 200)
            #expect(try await client.post("/login/test-token", token: lost.access).status == 200)
        }
    }

    @Test(
        "refresh tokens are stored as SHA-256 only, and are refused where an access token is expected and back", arguments: Backend.allCases
    )
    func storageAndConfusion(backend: Backend) async throws {
        try await TestApp.run(backend) { client, app in
            _ = try await app.createUser(email: "someone@example.com")
            let tokens = try await client.signIn("someone@example.com", "user-password")
            let stored = try await app.services.database.query("SELECT token_hash FROM auth_refresh_token", as: String.self)
            let digest = SHA256.hash(data: Data(tokens.refresh.utf8)).map { String(format: "%02x", $0) }.joined()
            #expect(stored.contains(digest))
            #expect(!stored.contains(tokens.refresh))

            #expect(try await client.post("/login/test-token", token: tokens.refresh).status == 403)
            #expect(try await refresh(client, tokens.access).status == 401)
            #expect(try await refresh(client, "garbage").status == 401)
        }
    }

    @Test("with REFRESH_TOKEN_COOKIE the refresh token travels in an HttpOnly, Secure, SameSite cookie, never in the body")
    func refreshTokenCookie() async throws {
        try await TestApp.run(.sqlite, environment: ["REFRESH_TOKEN_COOKIE": "true"]) { client, app in
            _ = try await app.createUser(email: "someone@example.com")
            let login = try await client.request(
                .post, "/login/access-token", form: "username=someone%40example.com&password=user-password")
            #expect(login.status == 200)
            #expect(login.json["access_token"]?.stringValue != nil)
            #expect(login.json["refresh_token"] == nil || login.json["refresh_token"] == .null)
            let cookie = try #require(login.headers[.setCookie])
            #expect(cookie.hasPrefix("refresh_token="))
            for attribute in ["HttpOnly", "Secure", "SameSite=Strict", "Path=/api/v1/login", "Max-Age=2592000"] {
                #expect(cookie.contains(attribute), "\(cookie)")
            }
            let token = String(cookie.dropFirst("refresh_token=".count).prefix { $0 != ";" })

            // An empty body: the cookie is read, used up, and replaced.
            let refreshed = try await client.request(.post, "/login/refresh", headers: [.cookie: "refresh_token=\(token)"])
            #expect(refreshed.status == 200, "\(refreshed.text)")
            let access = try #require(refreshed.json["access_token"]?.stringValue)
            let next = try #require(refreshed.headers[.setCookie])
            #expect(!next.contains(token))
            #expect(try await client.post("/login/test-token", token: access).status == 200)
            // Without a token in the body or the cookie, nothing to refresh.
            #expect(try await client.request(.post, "/login/refresh").status == 401)

            let logout = try await client.post("/logout", token: access)
            #expect(logout.status == 200)
            #expect(logout.headers[.setCookie]?.hasPrefix("refresh_token=;") == true)
            #expect(logout.headers[.setCookie]?.contains("Max-Age=0") == true)
        }
    }

    @Test("without REFRESH_TOKEN_COOKIE no cookie is set, and one sent is ignored")
    func noRefreshTokenCookie() async throws {
        try await TestApp.run(.sqlite) { client, app in
            _ = try await app.createUser(email: "someone@example.com")
            let login = try await client.request(
                .post, "/login/access-token", form: "username=someone%40example.com&password=user-password")
            #expect(login.headers[.setCookie] == nil)
            let token = try #require(login.json["refresh_token"]?.stringValue)
            #expect(try await client.request(.post, "/login/refresh", headers: [.cookie: "refresh_token=\(token)"]).status == 401)
            #expect(try await refresh(client, token).status == 200)
        }
    }

    @Test("logout ends this session only; logout everywhere ends them all", arguments: Backend.allCases)
    func logout(backend: Backend) async throws {
        try await TestApp.run(backend) { client, app in
            _ = try await app.createUser(email: "someone@example.com")
            let phone = try await client.signIn("someone@example.com", "user-password")
            let laptop = try await client.signIn("someone@example.com", "user-password")
            let tablet = try await client.signIn("someone@example.com", "user-password")

            let out = try await client.post("/logout", token: phone.access)
            #expect(out.status == 200)
            #expect(try await client.post("/login/test-token", token: phone.access).status == 403)
            #expect(try await refresh(client, phone.refresh).status == 401)
            #expect(try await client.post("/login/test-token", token: laptop.access).status == 200)

            #expect(try await client.post("/logout/all", token: laptop.access).status == 200)
            for session in [laptop, tablet] {
                #expect(try await client.post("/login/test-token", token: session.access).status == 403)
                #expect(try await refresh(client, session.refresh).status == 401)
            }
        }
    }

    @Test("a password change ends the other sessions and keeps the one that made it", arguments: Backend.allCases)
    func passwordChange(backend: Backend) async throws {
        try await TestApp.run(backend) { client, app in
            _ = try await app.createUser(email: "someone@example.com")
            let here = try await client.signIn("someone@example.com", "user-password")
            let elsewhere = try await client.signIn("someone@example.com", "user-password")
            let change = try await client.patch(
                "/users/me/password", json: ["current_password": "user-password", "new_password": "a-new-password"], token: here.access)
            #expect(change.status == 200)
            #expect(try await client.post("/login/test-token", token: here.access).status == 200)
            #expect(try pair(try await refresh(client, here.refresh)).access.isEmpty == false)
            #expect(try await client.post("/login/test-token", token: elsewhere.access).status == 403)
            #expect(try await refresh(client, elsewhere.refresh).status == 401)
        }
    }

    @Test("a password reset and a deactivation end every session", arguments: Backend.allCases)
    func resetAndDeactivation(backend: Backend) async throws {
        try await TestApp.run(backend) { client, app in
            let user = try await app.createUser(email: "someone@example.com")
            let before = try await client.signIn("someone@example.com", "user-password")
            let reset = LegacyTokens.passwordReset(email: "someone@example.com", secret: app.services.settings.secretKey)
            #expect(
                try await client.post("/reset-password/", json: ["token": .string(reset), "new_password": "a-new-password"]).status == 200)
            #expect(try await client.post("/login/test-token", token: before.access).status == 403)
            #expect(try await refresh(client, before.refresh).status == 401)

            let after = try await client.signIn("someone@example.com", "a-new-password")
            let admin = try await client.superuserToken()
            #expect(
                try await client.patch("/users/\(user.id.uuidString.lowercased())", json: ["is_active": false], token: admin).status == 200)
            #expect(try await refresh(client, after.refresh).status == 401)
            #expect(
                try await client.patch("/users/\(user.id.uuidString.lowercased())", json: ["is_active": true], token: admin).status == 200)
            #expect(try await client.post("/login/test-token", token: after.access).status == 403, "reactivation revives no session")
        }
    }

    @Test(
        "a user is read with their live sessions in one statement: none, several, and none of another user's",
        arguments: Backend.allCases)
    func userWithLiveSessions(backend: Backend) async throws {
        try await TestApp.run(backend) { client, app in
            let user = try await app.createUser(email: "someone@example.com")
            let other = try await app.createUser(email: "other@example.com")
            let database = app.services.database
            let find = { (id: UUID) in
                let sessions = app.services.sessions.liveSessionsColumn(of: #""user".id"#, dialect: database.dialect)
                return try await database.query(together: UserRepository().find(id: id, withSessions: sessions))
            }
            let alone = try #require(try await find(user.id), "a user without a session is still found")
            #expect(alone.user.email == "someone@example.com" && alone.sessions.isEmpty)
            #expect(try await find(UUID()) == nil)

            var ids: [UUID] = []
            for _ in 0..<3 {
                let pair = try await client.signIn("someone@example.com", "user-password")
                let claims = try await app.services.tokens.verify(pair.access, as: .access)
                ids.append(try #require(claims.session.flatMap(UUID.init(uuidString:))))
            }
            _ = try await client.signIn("other@example.com", "user-password")
            let expired = Date().addingTimeInterval(-1)
            try await database.execute("UPDATE auth_session SET expires_at = \(expired) WHERE id = \(ids[1])")
            let revoked = try await client.signIn("someone@example.com", "user-password")
            #expect(try await client.post("/logout", token: revoked.access).status == 200)

            let found = try #require(try await find(user.id))
            #expect(found.user.id == user.id)
            #expect(Set(found.sessions) == [ids[0], ids[2]], "the revoked and the expired are left out")
            #expect(Set(try await app.services.sessions.liveSessions(of: user.id, on: database)) == [ids[0], ids[2]])
            #expect(try await find(other.id)?.sessions.count == 1)
        }
    }

    @Test("ended sessions are deleted with their refresh tokens once past the cutoff; live ones stay", arguments: Backend.allCases)
    func pruning(backend: Backend) async throws {
        try await TestApp.run(backend) { client, app in
            _ = try await app.createUser(email: "someone@example.com")
            let ended = try await client.signIn("someone@example.com", "user-password")
            let live = try await client.signIn("someone@example.com", "user-password")
            #expect(try await client.post("/logout", token: ended.access).status == 200)
            let sessions = app.services.sessions
            let database = app.services.database
            #expect(try await sessions.deleteEnded(before: Date().addingTimeInterval(-60), on: database) == 0, "ended just now")
            #expect(try await sessions.deleteEnded(before: Date().addingTimeInterval(60), on: database) == 1)
            #expect(try await database.query("SELECT count(*) FROM auth_refresh_token", as: Int.self) == [1])
            #expect(try await client.post("/login/test-token", token: live.access).status == 200)
            #expect(try await refresh(client, live.refresh).status == 200)
        }
    }
}
