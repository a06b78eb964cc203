import Crypto
import Foundation
import HTTPTypes
import TernAPI
import TernAuth
import TernDatabase
import TestSupport
import Testing

@testable import App

/// API keys (`X-API-Key`) and HTTP Basic, the other ways to call the routes that take a ``Caller``.
@Suite("API keys and HTTP Basic", .timeLimit(.minutes(5)))
struct APIKeyTests {
    private func withKey(
        _ client: TestClient, _ path: String, method: HTTPRequest.Method = .get, key: String, json: JSONValue? = nil
    )
        async throws -> TestResponse
    {
        try await client.request(method, path, json: json, headers: [HTTPField.Name("x-api-key")!: key])
    }

    private func basic(_ email: String, _ password: String) -> HTTPFields {
        [.authorization: "Basic \(Data("\(email):\(password)".utf8).base64EncodedString())"]
    }

    @Test(
        "a key is shown once, stored as a hash, works in X-API-Key within its scopes, and is useless once revoked",
        arguments: Backend.allCases)
    func lifecycle(backend: Backend) async throws {
        try await TestApp.run(backend) { client, app in
            _ = try await app.createUser(email: "scripter@example.com")
            let token = try await client.login("scripter@example.com", "user-password")
            let created = try await client.post(
                "/users/me/api-keys/", json: ["current_password": "user-password", "name": "reader", "scopes": ["items:read"]], token: token
            )
            #expect(created.status == 200, "\(created.text)")
            let key = try #require(created.json["key"]?.stringValue)
            let prefix = try #require(created.json["prefix"]?.stringValue)
            let id = try #require(created.json["id"]?.stringValue)
            #expect(key.hasPrefix("tern_\(prefix)_"))
            #expect(created.json["scopes"] == ["items:read"])

            // Stored as its SHA-256 only; listed without the key.
            let stored = try await app.services.database.query("SELECT key_hash FROM api_key", as: String.self)
            #expect(stored == [SHA256.hash(data: Data(key.utf8)).map { String(format: "%02x", $0) }.joined()])
            let listed = try await client.get("/users/me/api-keys/", token: token)
            #expect(listed.json["count"] == 1)
            #expect(listed.json["data"]?[0]?["key"] == nil)
            #expect(listed.json["data"]?[0]?["last_used_at"] == .null)

            // Within its scopes; beyond them, 403 with the key's challenge.
            #expect(try await withKey(client, "/items/", key: key).status == 200)
            let write = try await withKey(client, "/items/", method: .post, key: key, json: ["title": "no"])
            #expect(write.status == 403)
            #expect(write.headers[.wwwAuthenticate] == #"APIKey error="insufficient_scope", scope="items:write""#)
            // `me` was not given to it, so not even who it belongs to.
            #expect(try await withKey(client, "/users/me", key: key).status == 403)
            // Routes that take only a bearer token do not look at keys.
            #expect(try await withKey(client, "/users/me/api-keys/", key: key).status == 401)
            #expect(try await withKey(client, "/login/test-token", method: .post, key: key).status == 401)
            let used = try await client.get("/users/me/api-keys/", token: token)
            #expect(used.json["data"]?[0]?["last_used_at"] != .null)

            // Revoked: refused at once, and gone from the list.
            #expect(try await client.delete("/users/me/api-keys/\(id)", token: token).status == 200)
            let refused = try await withKey(client, "/items/", key: key)
            #expect(refused.status == 401)
            #expect(refused.detail == "Invalid API key")
            #expect(try await client.get("/users/me/api-keys/", token: token).json["count"] == 0)
            #expect(try await client.delete("/users/me/api-keys/\(id)", token: token).status == 404)
        }
    }

    @Test("a key holds at most what its creator may do, and only as long as they still may", arguments: Backend.allCases)
    func scopesAreBounded(backend: Backend) async throws {
        try await TestApp.run(backend) { client, app in
            let user = try await app.createUser(email: "scripter@example.com")
            let token = try await client.login("scripter@example.com", "user-password")
            // The password is asked again: a token alone makes no key.
            let wrong = try await client.post(
                "/users/me/api-keys/", json: ["current_password": "not-the-password", "name": "x"], token: token)
            #expect(wrong.status == 400)
            #expect(wrong.detail == "Incorrect password")
            #expect(try await client.post("/users/me/api-keys/", json: ["name": "x"], token: token).status == 422)
            // Unknown and not granted scopes are refused.
            let unknown = try await client.post(
                "/users/me/api-keys/", json: ["current_password": "user-password", "name": "x", "scopes": ["items:everything"]],
                token: token)
            #expect(unknown.status == 400)
            #expect(unknown.detail == "Unknown scope: items:everything")
            let beyond = try await client.post(
                "/users/me/api-keys/", json: ["current_password": "user-password", "name": "x", "scopes": ["users:manage"]], token: token)
            #expect(beyond.status == 403)
            // A token narrowed at login cannot mint a wider key.
            let form = "username=scripter%40example.com&password=user-password&scope=me%20items:read"
            let narrowed = try #require(
                try await client.request(.post, "/login/access-token", form: form).json["access_token"]?.stringValue)
            #expect(
                try await client.post(
                    "/users/me/api-keys/", json: ["current_password": "user-password", "name": "x", "scopes": ["items:write"]],
                    token: narrowed
                ).status == 403)
            // By default a key gets what the token has.
            let full = try await client.post(
                "/users/me/api-keys/", json: ["current_password": "user-password", "name": "all"], token: token)
            #expect(full.json["scopes"] == ["me", "items:read", "items:write"])
            let key = try #require(full.json["key"]?.stringValue)
            #expect(try await withKey(client, "/users/me", key: key).json["email"] == "scripter@example.com")

            // Deactivated, the owner's keys stop working with the contract's answer.
            let superuser = try await client.superuserToken()
            #expect(
                try await client.patch("/users/\(user.id.uuidString.lowercased())", json: ["is_active": false], token: superuser).status
                    == 200)
            let inactive = try await withKey(client, "/items/", key: key)
            #expect(inactive.status == 400)
            #expect(inactive.detail == "Inactive user")
        }
    }

    @Test("a password reset revokes the account's keys: whoever took the account may have made some", arguments: Backend.allCases)
    func resetRevokesKeys(backend: Backend) async throws {
        try await TestApp.run(backend) { client, app in
            let user = try await app.createUser(email: "scripter@example.com")
            let token = try await client.login("scripter@example.com", "user-password")
            let key = try #require(
                try await client.post("/users/me/api-keys/", json: ["current_password": "user-password", "name": "ci"], token: token).json[
                    "key"]?.stringValue)
            #expect(try await withKey(client, "/items/", key: key).status == 200)

            let tokens = app.services.tokens
            let hash = try #require(try await app.storedHash(of: user))
            let reset = try await tokens.issue(.passwordReset, subject: user.email, lifetime: .seconds(600), stamp: tokens.stamp(of: hash))
            let body: JSONValue = ["token": .string(reset.text), "new_password": "another-password"]
            #expect(try await client.post("/reset-password/", json: body).status == 200)
            #expect(try await withKey(client, "/items/", key: key).status == 401)
        }
    }

    @Test("an expired key, a malformed one and someone else's are refused", arguments: Backend.allCases)
    func refused(backend: Backend) async throws {
        try await TestApp.run(backend) { client, app in
            _ = try await app.createUser(email: "one@example.com")
            _ = try await app.createUser(email: "two@example.com")
            let one = try await client.login("one@example.com", "user-password")
            let two = try await client.login("two@example.com", "user-password")
            let created = try await client.post(
                "/users/me/api-keys/", json: ["current_password": "user-password", "name": "soon", "expires_in_days": 1], token: one)
            let key = try #require(created.json["key"]?.stringValue)
            let id = try #require(created.json["id"]?.stringValue)
            #expect(created.json["expires_at"] != .null)
            #expect(try await withKey(client, "/items/", key: key).status == 200)

            #expect(try await client.delete("/users/me/api-keys/\(id)", token: two).status == 404)
            #expect(try await withKey(client, "/items/", key: key).status == 200)

            try await app.services.database.execute("UPDATE api_key SET expires_at = \(Date().addingTimeInterval(-1))")
            #expect(try await withKey(client, "/items/", key: key).status == 401)
            for garbage in ["", "tern_", String(key.dropLast()), key + "x", "Bearer \(one)"] {
                let response = try await withKey(client, "/items/", key: garbage)
                #expect(response.status == 401, "\(garbage)")
            }
            let tooLong = try await client.post(
                "/users/me/api-keys/", json: ["current_password": "user-password", "name": "x", "expires_in_days": 5000], token: one)
            #expect(tooLong.status == 422)
        }
    }

    @Test("HTTP Basic works on the routes that take it, with a Basic challenge when it fails", arguments: Backend.allCases)
    func httpBasic(backend: Backend) async throws {
        try await TestApp.run(backend) { client, app in
            _ = try await app.createUser(email: "curl@example.com")
            let me = try await client.request(.get, "/users/me", headers: basic("curl@example.com", "user-password"))
            #expect(me.status == 200)
            #expect(me.json["email"] == "curl@example.com")
            #expect(try await client.request(.get, "/items/", headers: basic("curl@example.com", "user-password")).status == 200)

            let wrong = try await client.request(.get, "/users/me", headers: basic("curl@example.com", "wrong-password"))
            #expect(wrong.status == 401)
            #expect(wrong.detail == "Incorrect email or password")
            #expect(wrong.headers[.wwwAuthenticate] == #"Basic realm="api", charset="UTF-8""#)
            let malformed = try await client.request(.get, "/users/me", headers: [.authorization: "Basic !!!"])
            #expect(malformed.status == 401)
            #expect(malformed.detail == "Invalid authentication credentials")
            // Routes that take only a bearer token answer as the contract says.
            let other = try await client.request(
                .patch, "/users/me", json: ["full_name": "x"], headers: basic("curl@example.com", "user-password"))
            #expect(other.status == 401)
            #expect(other.detail == "Not authenticated")
            // No credential at all: the contract's answer.
            let none = try await client.get("/items/")
            #expect(none.status == 401)
            #expect(none.headers[.wwwAuthenticate] == "Bearer")
        }
    }

    @Test("the document declares the API key and Basic schemes, on the routes that take them")
    func documented() async throws {
        try await TestApp.run(.sqlite) { client, _ in
            let document = try await client.get("/openapi.json").json
            let schemes = document["components"]?["securitySchemes"]
            #expect(schemes?["APIKeyHeader"] == ["type": "apiKey", "in": "header", "name": "X-API-Key"])
            #expect(schemes?["HTTPBasic"] == ["type": "http", "scheme": "basic"])
            let paths = try #require(document["paths"])
            #expect(paths["/api/v1/users/me/api-keys/"]?["post"]?["security"] == [["OAuth2PasswordBearer": ["me"]]])
            #expect(paths["/api/v1/users/me"]?["get"]?["security"]?.arrayValue?.count == 3)
            #expect(paths["/api/v1/users/me"]?["patch"]?["security"]?.arrayValue?.count == 1)
        }
    }
}
