import HTTPTypes
import TernAPI
import TestSupport
import Testing

@testable import App

@Suite("Redis out of reach", .timeLimit(.minutes(5)))
struct RedisOutageTests {
    /// Nothing listens on port 1: every connection is refused at once.
    private static let environment = ["REDIS_URL": "redis://127.0.0.1:1/0", "RATE_LIMIT_ENABLED": "false"]

    @Test("what needs Redis answers 503 with Retry-After, not 500; what can do without it carries on")
    func outage() async throws {
        try await TestApp.run(.sqlite, environment: Self.environment) { client, app in
            _ = try await app.createUser(email: "owner@example.com")
            let token = try await client.login("owner@example.com", "user-password")
            // The cache is bypassed: reads and writes go on.
            let created = try await client.post("/items/", json: ["title": "Lamp"], token: token)
            #expect(created.status == 200)
            let id = try #require(created.json["id"]?.stringValue)
            #expect(try await client.get("/items/\(id)", token: token).status == 200)
            // A job enqueued outside a transaction goes straight to Redis: the client is told to retry.
            let email = try await client.post("/utils/test-email/?email_to=someone@example.com", token: try await client.superuserToken())
            #expect(email.status == 503)
            #expect(email.headers[.retryAfter] == "1")
        }
    }
}
