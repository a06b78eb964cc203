import Foundation
import TestSupport
import Testing

@testable import App
@testable import TernAPI

@Suite("Users", .timeLimit(.minutes(5)))
struct UsersTests {
    @Test("superusers list users newest first with the total count; pagination checks its bounds", arguments: Backend.allCases)
    func listUsers(backend: Backend) async throws {
        try await TestApp.run(backend, environment: ["PAGINATION_MAX_LIMIT": "50"]) { client, app in
            // Creation times set apart explicitly, after the first superuser's: the order is the test's.
            for index in 1...3 {
                _ = try await app.createUser(email: "user\(index)@example.com", createdAt: Date() + Double(index) * 60)
            }
            let token = try await client.superuserToken()
            let page = try await client.get("/users/?skip=1&limit=2", token: token)
            #expect(page.status == 200)
            #expect(page.json["count"] == 4)
            #expect(page.json["data"]?.arrayValue?.map { $0["email"] } == ["user2@example.com", "user1@example.com"])
            #expect(page.json["data"]?[0]?["hashed_password"] == nil)
            let tooMany = try await client.get("/users/?limit=51", token: token)
            #expect(tooMany.status == 422)
            #expect(tooMany.detail?[0]?["type"] == "less_than_equal")
            #expect(tooMany.detail?[0]?["ctx"] == ["le": 50])
            #expect(try await client.get("/users/?skip=-1", token: token).status == 422)

            _ = try await app.createUser(email: "plain@example.com")
            let plain = try await client.login("plain@example.com", "user-password")
            let refused = try await client.get("/users/", token: plain)
            #expect(refused.status == 403)
            #expect(refused.detail == "The user doesn't have enough privileges")
        }
    }

    @Test("superusers create users, who are emailed; duplicates are 400 with a period; bad input is 422", arguments: Backend.allCases)
    func createUser(backend: Backend) async throws {
        try await TestApp.run(backend) { client, app in
            let token = try await client.superuserToken()
            let created = try await client.post(
                "/users/", json: ["email": "new@example.com", "password": "a-password", "full_name": "New User"], token: token)
            #expect(created.status == 200)
            #expect(created.json["email"] == "new@example.com")
            #expect(created.json["is_active"] == true)
            #expect(created.json["is_superuser"] == false)
            #expect(created.json["full_name"] == "New User")
            #expect(created.json["password"] == nil && created.json["hashed_password"] == nil)
            #expect(UUID(uuidString: created.json["id"]?.stringValue ?? "") != nil)
            #expect(created.json["created_at"]?.stringValue?.hasSuffix("Z") == true)
            _ = try await client.login("new@example.com", "a-password")
            #expect(try await app.mailer.emails(count: 1).map(\.to) == ["new@example.com"])

            let duplicate = try await client.post("/users/", json: ["email": "new@example.com", "password": "a-password"], token: token)
            #expect(duplicate.status == 400)
            #expect(duplicate.detail == "The user with this email already exists in the system.")
            #expect(app.mailer.outbox.count == 1)

            let invalid = try await client.post("/users/", json: ["email": "not-an-email", "password": "short"], token: token)
            #expect(invalid.status == 422)
            #expect(invalid.detail?.arrayValue?.map { $0["type"] } == ["value_error", "string_too_short"])
        }
    }

    @Test("signup creates an active ordinary user; a taken email is 400 without a period", arguments: Backend.allCases)
    func signup(backend: Backend) async throws {
        try await TestApp.run(backend) { client, _ in
            let body: JSONValue = ["email": "me@example.com", "password": "my-password", "full_name": "Me"]
            let created = try await client.post("/users/signup", json: body)
            #expect(created.status == 200)
            #expect(created.json["is_superuser"] == false)
            #expect(created.json["is_active"] == true)
            let duplicate = try await client.post("/users/signup", json: body)
            #expect(duplicate.status == 400)
            #expect(duplicate.detail == "The user with this email already exists in the system")
            let smuggled = try await client.post(
                "/users/signup", json: ["email": "sneaky@example.com", "password": "my-password", "is_superuser": true])
            #expect(smuggled.json["is_superuser"] == false)
        }
    }

    @Test("wrong current passwords count as failed logins: a stolen access token cannot guess the password by changing it")
    func passwordChangeThrottled() async throws {
        try await TestApp.run(.sqlite, environment: ["RATE_LIMIT_LOGIN_FAILURES": "2/15 minutes"]) { client, app in
            _ = try await app.createUser(email: "me@example.com", password: "old-password")
            let token = try await client.login("me@example.com", "old-password")
            for _ in 0..<2 {
                let wrong = try await client.patch(
                    "/users/me/password", json: ["current_password": "a-wrong-guess", "new_password": "new-password"], token: token)
                #expect(wrong.status == 400)
            }
            let locked = try await client.patch(
                "/users/me/password", json: ["current_password": "old-password", "new_password": "new-password"], token: token)
            #expect(locked.status == 429)
            let login = try await client.request(.post, "/login/access-token", form: "username=me%40example.com&password=old-password")
            #expect(login.status == 429)
        }
    }

    @Test("me: read, partial update, password change, delete", arguments: Backend.allCases)
    func me(backend: Backend) async throws {
        try await TestApp.run(backend) { client, app in
            _ = try await app.createUser(email: "me@example.com", password: "old-password")
            _ = try await app.createUser(email: "taken@example.com")
            let token = try await client.login("me@example.com", "old-password")
            #expect(try await client.get("/users/me", token: token).json["email"] == "me@example.com")

            let named = try await client.patch("/users/me", json: ["full_name": "Me Myself"], token: token)
            #expect(named.json["full_name"] == "Me Myself")
            #expect(named.json["email"] == "me@example.com")
            let unchanged = try await client.patch("/users/me", json: [:], token: token)
            #expect(unchanged.json["full_name"] == "Me Myself")
            let cleared = try await client.patch("/users/me", json: ["full_name": nil], token: token)
            #expect(cleared.json["full_name"] == .null)
            let conflict = try await client.patch("/users/me", json: ["email": "taken@example.com"], token: token)
            #expect(conflict.status == 409)
            #expect(conflict.detail == "User with this email already exists")
            #expect(try await client.patch("/users/me", json: ["email": "bad"], token: token).status == 422)

            let wrong = try await client.patch(
                "/users/me/password", json: ["current_password": "wrong-password", "new_password": "new-password"], token: token)
            #expect(wrong.status == 400)
            #expect(wrong.detail == "Incorrect password")
            let same = try await client.patch(
                "/users/me/password", json: ["current_password": "old-password", "new_password": "old-password"], token: token)
            #expect(same.status == 400)
            #expect(same.detail == "New password cannot be the same as the current one")
            let changed = try await client.patch(
                "/users/me/password", json: ["current_password": "old-password", "new_password": "new-password"], token: token)
            #expect(changed.json["message"] == "Password updated successfully")
            _ = try await client.login("me@example.com", "new-password")

            let deleted = try await client.delete("/users/me", token: token)
            #expect(deleted.json["message"] == "User deleted successfully")
            #expect(try await client.get("/users/me", token: token).status == 404)

            let admin = try await client.superuserToken()
            let refused = try await client.delete("/users/me", token: admin)
            #expect(refused.status == 403)
            #expect(refused.detail == "Super users are not allowed to delete themselves")
        }
    }

    @Test("reading a user by id: own, others, unknown, malformed", arguments: Backend.allCases)
    func readById(backend: Backend) async throws {
        try await TestApp.run(backend) { client, app in
            let me = try await app.createUser(email: "me@example.com")
            let other = try await app.createUser(email: "other@example.com")
            let token = try await client.login("me@example.com", "user-password")
            #expect(try await client.get("/users/\(me.id.uuidString)", token: token).json["email"] == "me@example.com")
            let forbidden = try await client.get("/users/\(other.id.uuidString)", token: token)
            #expect(forbidden.status == 403)
            #expect(forbidden.detail == "The user doesn't have enough privileges")
            #expect(try await client.get("/users/\(UUID().uuidString)", token: token).status == 403)
            let admin = try await client.superuserToken()
            #expect(try await client.get("/users/\(other.id.uuidString)", token: admin).json["email"] == "other@example.com")
            let unknown = try await client.get("/users/\(UUID().uuidString)", token: admin)
            #expect(unknown.status == 404)
            #expect(unknown.detail == "User not found")
            let malformed = try await client.get("/users/not-a-uuid", token: admin)
            #expect(malformed.status == 422)
            #expect(malformed.detail?[0]?["type"] == "uuid_parsing")
            #expect(malformed.detail?[0]?["loc"] == ["path", "user_id"])
        }
    }

    @Test("superusers update users: partial, password re-hashed, 404 and 409", arguments: Backend.allCases)
    func updateUser(backend: Backend) async throws {
        try await TestApp.run(backend) { client, app in
            let user = try await app.createUser(email: "user@example.com")
            _ = try await app.createUser(email: "taken@example.com")
            let admin = try await client.superuserToken()
            let updated = try await client.patch(
                "/users/\(user.id.uuidString)", json: ["is_superuser": true, "password": "replaced-password"], token: admin)
            #expect(updated.status == 200)
            #expect(updated.json["is_superuser"] == true)
            #expect(updated.json["email"] == "user@example.com")
            _ = try await client.login("user@example.com", "replaced-password")
            let stored = try #require(try await app.storedHash(of: user))
            #expect(stored.hasPrefix("$argon2id$"))

            let missing = try await client.patch("/users/\(UUID().uuidString)", json: ["full_name": "x"], token: admin)
            #expect(missing.status == 404)
            #expect(missing.detail == "The user with this id does not exist in the system")
            let conflict = try await client.patch("/users/\(user.id.uuidString)", json: ["email": "taken@example.com"], token: admin)
            #expect(conflict.status == 409)
            #expect(conflict.detail == "User with this email already exists")
        }
    }

    @Test("superusers delete users and their items, never themselves", arguments: Backend.allCases)
    func deleteUser(backend: Backend) async throws {
        try await TestApp.run(backend) { client, app in
            let user = try await app.createUser(email: "user@example.com")
            let userToken = try await client.login("user@example.com", "user-password")
            _ = try await client.post("/items/", json: ["title": "Mine"], token: userToken)
            let admin = try await client.superuserToken()
            let deleted = try await client.delete("/users/\(user.id.uuidString)", token: admin)
            #expect(deleted.json["message"] == "User deleted successfully")
            #expect(try await client.get("/items/", token: admin).json["count"] == 0)
            let missing = try await client.delete("/users/\(user.id.uuidString)", token: admin)
            #expect(missing.status == 404)
            #expect(missing.detail == "User not found")
            let me = try await client.get("/users/me", token: admin)
            let selfDelete = try await client.delete("/users/\(me.json["id"]?.stringValue ?? "")", token: admin)
            #expect(selfDelete.status == 403)
            #expect(selfDelete.detail == "Super users are not allowed to delete themselves")
        }
    }

    @Test("concurrent signups of one email: exactly one succeeds, the others get the contract's 400", arguments: Backend.allCases)
    func concurrentSignup(backend: Backend) async throws {
        try await TestApp.run(backend) { client, _ in
            let statuses = try await withThrowingTaskGroup(of: (Int, JSONValue?).self) { group in
                for _ in 0..<8 {
                    group.addTask {
                        let response = try await client.post(
                            "/users/signup", json: ["email": "race@example.com", "password": "a-password"])
                        return (response.status, response.detail)
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(statuses.filter { $0.0 == 200 }.count == 1)
            #expect(
                statuses.filter { $0.0 == 400 && $0.1 == "The user with this email already exists in the system" }.count == 7,
                "\(statuses)")
        }
    }
}
