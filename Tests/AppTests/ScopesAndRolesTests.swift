import Foundation
import TernAPI
import TestSupport
import Testing

@testable import App

/// Scopes on operations, granted by roles and narrowed by the login (FastAPI's `Security` scopes),
/// and the moderator role between user and superuser.
@Suite("Scopes and roles", .timeLimit(.minutes(5)))
struct ScopesAndRolesTests {
    /// A login through the OAuth2 form asking for `scope`.
    private func token(_ client: TestClient, _ email: String, _ password: String, scope: String) async throws -> String {
        let form = "username=\(email.replacingOccurrences(of: "@", with: "%40"))&password=\(password)&scope=\(scope)"
        let response = try await client.request(.post, "/login/access-token", form: form)
        #expect(response.status == 200, "\(response.text)")
        return try #require(response.json["access_token"]?.stringValue)
    }

    @Test(
        "a login that asks for fewer scopes gets a token that can do only that, and keeps it through refreshes", arguments: Backend.allCases
    )
    func narrowedLogin(backend: Backend) async throws {
        try await TestApp.run(backend) { client, app in
            _ = try await app.createUser(email: "reader@example.com")
            let reader = try await token(client, "reader@example.com", "user-password", scope: "items:read")
            #expect(try await client.get("/items/", token: reader).status == 200)

            let refused = try await client.post("/items/", json: ["title": "nope"], token: reader)
            #expect(refused.status == 403)
            #expect(refused.detail == "Not enough permissions")
            #expect(refused.headers[.wwwAuthenticate] == #"Bearer error="insufficient_scope", scope="items:write""#)
            #expect(try await client.get("/users/me", token: reader).status == 403)

            // The session keeps the narrowed scopes: a refresh does not widen them.
            let form = "username=reader%40example.com&password=user-password&scope=items:read%20bogus"
            let login = try await client.request(.post, "/login/access-token", form: form)
            let refresh = try #require(login.json["refresh_token"]?.stringValue)
            let refreshed = try await client.post("/login/refresh", json: ["refresh_token": .string(refresh)])
            let access = try #require(refreshed.json["access_token"]?.stringValue)
            #expect(try await client.get("/items/", token: access).status == 200)
            #expect(try await client.post("/items/", json: ["title": "nope"], token: access).status == 403)

            // Without a scope asked for, the role's: everything a user may do.
            let full = try await client.login("reader@example.com", "user-password")
            #expect(try await client.post("/items/", json: ["title": "mine"], token: full).status == 200)
            #expect(try await client.get("/users/me", token: full).status == 200)
        }
    }

    @Test(
        "a user on a superuser's route gets the contract's answer; a superuser whose token lacks the scope gets 403",
        arguments: Backend.allCases)
    func superuserRoutes(backend: Backend) async throws {
        try await TestApp.run(backend) { client, app in
            let someone = try await app.createUser(email: "someone@example.com")
            let user = try await client.login("someone@example.com", "user-password")
            let asUser = try await client.get("/users/", token: user)
            #expect(asUser.status == 403)
            #expect(asUser.detail == "The user doesn't have enough privileges")

            let narrowed = try await token(client, TestApp.superuserEmail, TestApp.superuserPassword, scope: "items:read")
            let asNarrowedSuperuser = try await client.get("/users/", token: narrowed)
            #expect(asNarrowedSuperuser.status == 403)
            #expect(asNarrowedSuperuser.detail == "Not enough permissions")
            // Nor may it read another account, or mint a reset link for one.
            let other = try await client.get("/users/\(someone.id.uuidString.lowercased())", token: narrowed)
            #expect(other.detail == "The user doesn't have enough privileges")
            #expect(try await client.post("/password-recovery-html-content/someone@example.com", token: narrowed).status == 403)
            #expect(try await client.get("/users/", token: try await client.superuserToken()).status == 200)
        }
    }

    @Test("a moderator reads everyone's items, changes only their own, and manages no user", arguments: Backend.allCases)
    func moderator(backend: Backend) async throws {
        try await TestApp.run(backend) { client, app in
            let owner = try await app.createUser(email: "owner@example.com")
            let item = try await app.createItem(title: "the owner's", owner: owner, createdAt: Date())
            let moderator = try await app.createUser(email: "moderator@example.com")
            let superuser = try await client.superuserToken()

            // Promoted by a superuser; the role shows on the account.
            let promoted = try await client.patch(
                "/users/\(moderator.id.uuidString.lowercased())", json: ["role": "moderator"], token: superuser)
            #expect(promoted.status == 200, "\(promoted.text)")
            #expect(promoted.json["role"] == "moderator")
            let wrongRole = try await client.patch(
                "/users/\(moderator.id.uuidString.lowercased())", json: ["role": "emperor"], token: superuser)
            #expect(wrongRole.status == 422)

            let token = try await client.login("moderator@example.com", "user-password")
            #expect(try await client.get("/users/me", token: token).json["role"] == "moderator")
            let page = try await client.get("/items/", token: token)
            #expect(page.json["count"] == 1)
            #expect(try await client.get("/items/\(item.id.uuidString.lowercased())", token: token).status == 200)
            let change = try await client.put("/items/\(item.id.uuidString.lowercased())", json: ["title": "mine now"], token: token)
            #expect(change.status == 403)
            #expect(change.detail == "Not enough permissions")
            #expect(try await client.delete("/items/\(item.id.uuidString.lowercased())", token: token).status == 403)
            #expect(try await client.get("/users/", token: token).detail == "The user doesn't have enough privileges")

            // An ordinary user sees only their own.
            let ownerToken = try await client.login("owner@example.com", "user-password")
            let other = try await client.post("/items/", json: ["title": "moderator's"], token: token)
            #expect(other.status == 200)
            #expect(try await client.get("/items/", token: ownerToken).json["count"] == 1)
            let otherID = try #require(other.json["id"]?.stringValue)
            #expect(try await client.get("/items/\(otherID)", token: ownerToken).status == 403)
        }
    }

    @Test("the document lists each operation's scopes and the scopes a client may request, with what they allow")
    func documented() async throws {
        try await TestApp.run(.sqlite) { client, _ in
            let document = try await client.get("/openapi.json").json
            let paths = try #require(document["paths"])
            // Items take a token, an API key or HTTP Basic, each with the operation's scopes.
            #expect(
                paths["/api/v1/items/"]?["get"]?["security"] == [
                    ["OAuth2PasswordBearer": ["items:read"]], ["APIKeyHeader": ["items:read"]], ["HTTPBasic": ["items:read"]],
                ])
            #expect(paths["/api/v1/items/"]?["post"]?["security"]?[0] == ["OAuth2PasswordBearer": ["items:write"]])
            #expect(paths["/api/v1/users/"]?["get"]?["security"] == [["OAuth2PasswordBearer": ["users:manage"]]])
            #expect(
                paths["/api/v1/items/"]?["post"]?["responses"]?["403"]?["description"]?.stringValue?.contains("Not enough permissions")
                    == true)
            // No scope: any signed-in user.
            #expect(paths["/api/v1/login/test-token"]?["post"]?["security"] == [["OAuth2PasswordBearer": []]])
            let scopes = document["components"]?["securitySchemes"]?["OAuth2PasswordBearer"]?["flows"]?["password"]?["scopes"]
            #expect(scopes?.objectValue?.members.map(\.key).sorted() == Scope.all.map(\.name).sorted())
            #expect(scopes?["items:read-all"] == "Read everyone's items")
        }
    }
}
