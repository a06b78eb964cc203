import Foundation
import HTTPTypes
import TernCache
import TernDatabase
import TestSupport
import Testing

@testable import App
@testable import TernAPI

/// Where the app's cache lives: in the process (no `REDIS_URL`) or in Redis.
enum CacheStoreKind: String, CaseIterable, CustomTestStringConvertible {
    case inProcess, redis
    var testDescription: String { rawValue }

    /// The environment that selects it; rate limits off, as the tests share one Redis.
    func environment() throws -> [String: String] {
        switch self {
        case .inProcess: ["RATE_LIMIT_ENABLED": "false"]
        case .redis: ["REDIS_URL": try RedisTestServer.sharedURL(), "RATE_LIMIT_ENABLED": "false"]
        }
    }
}

@Suite("Caching", .timeLimit(.minutes(5)))
struct CachingTests {
    @Test(
        "an item read has an ETag; If-None-Match holding it gets 304 without a body; a change gives another tag",
        arguments: CacheStoreKind.allCases)
    func entityTags(store: CacheStoreKind) async throws {
        try await TestApp.run(.sqlite, environment: try store.environment()) { client, app in
            _ = try await app.createUser(email: "owner@example.com")
            let token = try await client.login("owner@example.com", "user-password")
            let id = try #require(try await client.post("/items/", json: ["title": "Lamp"], token: token).json["id"]?.stringValue)
            let first = try await client.get("/items/\(id)", token: token)
            let tag = try #require(first.headers[.eTag])
            #expect(tag.hasPrefix("\"") && tag.count == 34)
            #expect(first.headers[.cacheControl] == "private, no-cache")
            #expect(first.headers[values: .vary].contains("Authorization"))
            #expect(try await client.get("/items/\(id)", token: token).headers[.eTag] == tag, "the same bytes, the same tag")

            let notModified = try await client.request(.get, "/items/\(id)", token: token, headers: [.ifNoneMatch: "W/\(tag)"])
            #expect(notModified.status == 304)
            #expect(notModified.text.isEmpty)
            #expect(notModified.headers[.eTag] == tag)

            #expect(try await client.put("/items/\(id)", json: ["title": "Desk lamp"], token: token).status == 200)
            let changed = try await client.request(.get, "/items/\(id)", token: token, headers: [.ifNoneMatch: tag])
            #expect(changed.status == 200)
            #expect(changed.json["title"] == "Desk lamp", "the update invalidated the cached item")
            #expect(changed.headers[.eTag] != tag)
        }
    }

    @Test("with the user and the item cached, an authenticated item read needs no database", arguments: CacheStoreKind.allCases)
    func noDatabaseRoundTrip(store: CacheStoreKind) async throws {
        try await TestApp.run(.sqlite, environment: try store.environment()) { client, app in
            _ = try await app.createUser(email: "owner@example.com")
            let token = try await client.login("owner@example.com", "user-password")
            let id = try #require(try await client.post("/items/", json: ["title": "Lamp"], token: token).json["id"]?.stringValue)
            let warm = try await client.get("/items/\(id)", token: token)
            #expect(warm.status == 200)
            await app.services.database.close()
            let cached = try await client.get("/items/\(id)", token: token)
            #expect(cached.status == 200)
            #expect(cached.text == warm.text)
            // Anything not cached does need it.
            #expect(try await client.get("/items/", token: token).status == 503)
        }
    }

    @Test("a change to a user shows at once: update, deactivation, deletion", arguments: CacheStoreKind.allCases)
    func userChangesInvalidate(store: CacheStoreKind) async throws {
        try await TestApp.run(.postgres, environment: try store.environment()) { client, app in
            let user = try await app.createUser(email: "user@example.com")
            let token = try await client.login("user@example.com", "user-password")
            let admin = try await client.superuserToken()
            #expect(try await client.get("/users/me", token: token).json["full_name"] == .null)
            #expect(try await client.patch("/users/me", json: ["full_name": "Ada"], token: token).status == 200)
            #expect(try await client.get("/users/me", token: token).json["full_name"] == "Ada")

            let itemID = try #require(try await client.post("/items/", json: ["title": "Lamp"], token: token).json["id"]?.stringValue)
            #expect(try await client.get("/items/\(itemID)", token: admin).status == 200)

            #expect(try await client.patch("/users/\(user.id.uuidString)", json: ["is_active": false], token: admin).status == 200)
            let inactive = try await client.get("/users/me", token: token)
            #expect(inactive.status == 400)
            #expect(inactive.detail == "Inactive user")

            #expect(try await client.delete("/users/\(user.id.uuidString)", token: admin).status == 200)
            #expect(try await client.get("/users/me", token: token).status == 404)
            #expect(
                try await client.get("/items/\(itemID)", token: admin).status == 404, "the user's items went with them, cached copies too")
        }
    }

    @Test("entries are invalidated once the unit of work commits, never before, and not after a rollback", arguments: Backend.allCases)
    func invalidationFollowsTheUnitOfWork(backend: Backend) async throws {
        try await TestApp.run(backend, environment: try CacheStoreKind.redis.environment()) { _, app in
            let cache = app.services.cache
            let key = "test:\(UUID().uuidString)"
            func cached() async throws -> ItemPublic? {
                try await cache.value(for: key, lifetime: .seconds(60)) {
                    ItemPublic(title: "computed \(UUID().uuidString)", description: nil, id: UUID(), ownerId: UUID(), createdAt: nil)
                }
            }
            let original = try await cached()

            let rolledBack = DatabaseSession(database: app.services.database, mode: .unitOfWork)
            try await rolledBack.execute("SELECT 1")
            await rolledBack.afterCommit { await cache.invalidate([key]) }
            #expect(try await cached()?.title == original?.title, "not before the commit")
            await rolledBack.rollback()
            #expect(try await cached()?.title == original?.title, "not after a rollback")

            let committed = DatabaseSession(database: app.services.database, mode: .unitOfWork)
            try await committed.execute("SELECT 1")
            await committed.afterCommit { await cache.invalidate([key]) }
            try await committed.commit()
            #expect(try await cached()?.title != original?.title, "after the commit")
        }
    }
}

@Suite("Rate limits in one process", .timeLimit(.minutes(5)))
struct InProcessRateLimitTests {
    @Test("login attempts per client address: past RATE_LIMIT_LOGIN, 429 with Retry-After and the login policy")
    func login() async throws {
        try await TestApp.run(.sqlite, environment: ["RATE_LIMIT_LOGIN": "2/minute"]) { client, _ in
            _ = try await client.superuserToken()
            _ = try await client.superuserToken()
            let refused = try await client.request(
                .post, "/login/access-token", form: "username=admin%40example.com&password=\(TestApp.superuserPassword)")
            #expect(refused.status == 429)
            #expect(refused.detail == "Too Many Requests")
            #expect(refused.headers[HTTPField.Name("Retry-After")!].flatMap(Int.init).map { $0 >= 1 } == true)
            #expect(refused.headers[HTTPField.Name("RateLimit-Policy")!] == #""default";q=600;w=60, "login";q=2;w=60"#)
            #expect(refused.headers[HTTPField.Name("X-RateLimit-Limit")!] == "2", "the limit closest to refusing")
        }
    }

    @Test("sign-ups per client address, password recovery per email and per address")
    func signupAndRecovery() async throws {
        let environment = ["RATE_LIMIT_SIGNUP": "1/hour", "RATE_LIMIT_PASSWORD_RECOVERY": "2/hour"]
        try await TestApp.run(.sqlite, environment: environment) { client, _ in
            let signup: JSONValue = ["email": "new@example.com", "password": "a-password"]
            #expect(try await client.post("/users/signup", json: signup).status == 200)
            #expect(try await client.post("/users/signup", json: ["email": "other@example.com", "password": "a-password"]).status == 429)

            #expect(try await client.post("/password-recovery/a@example.com").status == 200)
            #expect(try await client.post("/password-recovery/A@example.com").status == 200)
            let sameEmail = try await client.post("/password-recovery/a@example.com")
            #expect(sameEmail.status == 429)
            #expect(sameEmail.headers[HTTPField.Name("RateLimit-Policy")!]?.contains(#""password-recovery-email";q=2;w=3600"#) == true)
        }
    }

    @Test("RATE_LIMIT_ENABLED=false: no limit, no headers")
    func disabled() async throws {
        try await TestApp.run(.sqlite, environment: ["RATE_LIMIT_ENABLED": "false", "RATE_LIMIT_LOGIN": "1/hour"]) { client, _ in
            _ = try await client.superuserToken()
            _ = try await client.superuserToken()
            let health = try await client.get("/utils/health-check/")
            #expect(health.headers[HTTPField.Name("RateLimit")!] == nil)
        }
    }

    @Test("the document shows the 429, the 304 and the headers of limited and cached answers")
    func documented() async throws {
        try await TestApp.run(.sqlite) { client, _ in
            let document = try await client.get("/openapi.json").json
            let read = document["paths"]?["/api/v1/items/{id}"]?["get"]?["responses"]
            #expect(read?["304"] != nil)
            #expect(read?["429"]?["headers"]?["Retry-After"] != nil)
            #expect(read?["200"]?["headers"]?["ETag"] != nil)
            #expect(read?["200"]?["headers"]?["RateLimit-Policy"] != nil)
            let login = document["paths"]?["/api/v1/login/access-token"]?["post"]?["responses"]?["429"]?["description"]
            #expect(login == "Too Many Requests")
        }
    }
}
