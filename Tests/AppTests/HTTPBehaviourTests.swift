import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import TernDatabase
import TestSupport
import Testing

@testable import App
@testable import TernAPI

@Suite("HTTP behaviour", .timeLimit(.minutes(5)))
struct HTTPBehaviourTests {
    @Test("SERVER_TIMING: each answer says how long its database statements and the whole took", arguments: Backend.allCases)
    func serverTiming(backend: Backend) async throws {
        try await TestApp.run(backend, environment: ["SERVER_TIMING": "true"]) { client, _ in
            let token = try await client.superuserToken()
            let items = try await client.get("/items/", token: token)
            let timing = try #require(items.headers[HTTPField.Name("Server-Timing")!])
            let match = try #require(
                timing.wholeMatch(of: /db;dur=([0-9.]+);desc="([0-9]+) statements in ([0-9]+) round trips", total;dur=([0-9.]+)/))
            let (database, statements, roundTrips, total) = (
                try #require(Double(match.1)), try #require(Int(match.2)), try #require(Int(match.3)), try #require(Double(match.4))
            )
            #expect(statements >= 2 && roundTrips == 2, "the caller and the page: \(timing)")
            #expect(database > 0 && database <= total)
            let health = try await client.get("/utils/health-check/")
            let healthTiming = health.headers[HTTPField.Name("Server-Timing")!]
            #expect(healthTiming?.hasPrefix("db;dur=0.0;desc=\"0 statements in 0 round trips\"") == true)
        }
        try await TestApp.run(backend) { client, _ in
            let health = try await client.get("/utils/health-check/")
            #expect(health.headers[HTTPField.Name("Server-Timing")!] == nil)
        }
    }

    @Test("unknown routes are 404, known paths with another method 405, both as JSON")
    func routing() async throws {
        try await TestApp.run(.sqlite) { client, _ in
            let missing = try await client.get("/no/such/route")
            #expect(missing.status == 404)
            #expect(missing.json == ["detail": "Not Found"])
            let wrongMethod = try await client.request(.delete, "/utils/health-check/")
            #expect(wrongMethod.status == 405)
            #expect(wrongMethod.json == ["detail": "Method Not Allowed"])
            #expect(wrongMethod.headers[.allow] == "GET")
            // FastAPI's GET routes do not answer HEAD either.
            let head = try await client.request(.head, "/utils/health-check/")
            #expect(head.status == 405)
            #expect(head.headers[.allow] == "GET")
            let withoutSlash = try await client.get("/utils/health-check")
            #expect(withoutSlash.status == 200)
            #expect(withoutSlash.text == "true")
        }
    }

    @Test("bodies that are not JSON, malformed, or too large are refused with FastAPI's answers")
    func badBodies() async throws {
        try await TestApp.run(.sqlite, environment: ["MAX_BODY_SIZE": "2048"]) { client, _ in
            let malformed = try await client.request(
                .post, "/users/signup", headers: [.contentType: "application/json"], rawBody: #"{"email": "a@example.com",}"#)
            #expect(malformed.status == 422)
            #expect(malformed.detail?[0]?["type"] == "json_invalid")
            #expect(malformed.detail?[0]?["loc"] == ["body", 26])
            let plain = try await client.request(.post, "/users/signup", headers: [.contentType: "text/plain"], rawBody: "{}")
            #expect(plain.detail?[0]?["type"] == "model_attributes_type")
            // No content type is not JSON either (FastAPI's strict_content_type).
            let bare = try await client.request(.post, "/users/signup", rawBody: #"{"email": "a@example.com", "password": "a-password"}"#)
            #expect(bare.status == 422)
            #expect(bare.detail?[0]?["type"] == "model_attributes_type")
            let empty = try await client.request(.post, "/users/signup", headers: [.contentType: "application/json"])
            #expect(empty.detail?[0]?["type"] == "missing")
            #expect(empty.detail?[0]?["loc"] == ["body"])
            let huge = try await client.request(
                .post, "/users/signup", headers: [.contentType: "application/json"],
                rawBody: #"{"email": ""# + String(repeating: "x", count: 5000) + #""}"#)
            #expect(huge.status == 413)
            #expect(huge.json == ["detail": "Request Entity Too Large"])
            let deep = try await client.request(
                .post, "/users/signup", headers: [.contentType: "application/json"],
                rawBody: String(repeating: "[", count: 1000) + String(repeating: "]", count: 1000))
            #expect(deep.status == 422)
            #expect(deep.detail?[0]?["type"] == "json_invalid")
        }
    }

    @Test("health check answers true without the database; readiness reports the database")
    func probes() async throws {
        try await TestApp.run(.sqlite) { client, app in
            let health = try await client.get("/utils/health-check/")
            #expect(health.text == "true")
            #expect(health.headers[.contentType] == "application/json")
            #expect(try await client.get("/utils/readiness-check/").json == ["status": "ready", "database": "ok"])
            await app.services.database.close()
            #expect(try await client.get("/utils/health-check/").text == "true")
            let unready = try await client.get("/utils/readiness-check/")
            #expect(unready.status == 503)
            #expect(unready.detail == "Database unavailable")
        }
    }

    @Test("a database that is gone is a 503, not a 500", arguments: Backend.allCases)
    func databaseOutage(backend: Backend) async throws {
        try await TestApp.run(backend) { client, app in
            let token = try await client.superuserToken()
            await app.services.database.close()
            let response = try await client.get("/users/me", token: token)
            #expect(response.status == 503)
            #expect(response.detail == "Service Unavailable")
        }
    }

    @Test("test email: 503 without a mail transport, 201 with one, 422 for a bad address")
    func testEmail() async throws {
        try await TestApp.run(.sqlite) { client, app in
            let token = try await client.superuserToken()
            #expect(try await client.post("/utils/test-email/?email_to=bad", token: token).status == 422)
            let sent = try await client.post("/utils/test-email/?email_to=someone@example.com", token: token)
            #expect(sent.status == 201)
            #expect(sent.json == ["message": "Test email sent"])
            #expect(try await app.mailer.emails(count: 1).first?.to == "someone@example.com")
        }
        try await TestAppWithoutMailer.run { client in
            let token = try await client.superuserToken()
            let refused = try await client.post("/utils/test-email/?email_to=someone@example.com", token: token)
            #expect(refused.status == 503)
        }
    }

    @Test("the private route exists only in development", arguments: ["development", "staging"])
    func privateRoute(environment: String) async throws {
        let variables = environment == "development" ? [:] : ["ENVIRONMENT": environment]
        try await TestApp.run(.sqlite, environment: variables) { client, _ in
            let response = try await client.post(
                "/private/users/", json: ["email": "e2e@example.com", "password": "pw", "full_name": "E2E"])
            #expect(response.status == (environment == "development" ? 200 : 404))
        }
    }

    @Test("CORS allows the frontend origin with credentials and refuses others")
    func cors() async throws {
        try await TestApp.run(.sqlite, environment: ["FRONTEND_HOST": "http://localhost:5173"]) { client, _ in
            let preflight = try await client.request(
                .options, "/items/",
                headers: [
                    .origin: "http://localhost:5173", .accessControlRequestMethod: "POST", .accessControlRequestHeaders: "authorization",
                ])
            #expect(preflight.status == 200)
            #expect(preflight.headers[.accessControlAllowOrigin] == "http://localhost:5173")
            #expect(preflight.headers[.accessControlAllowCredentials] == "true")
            #expect(preflight.headers[.accessControlAllowHeaders] == "authorization")
            let refused = try await client.request(
                .options, "/items/", headers: [.origin: "http://evil.example", .accessControlRequestMethod: "POST"])
            #expect(refused.status == 400)
            #expect(refused.headers[.accessControlAllowOrigin] == nil)
            let simple = try await client.request(.get, "/utils/health-check/", headers: [.origin: "http://localhost:5173"])
            #expect(simple.headers[.accessControlAllowOrigin] == "http://localhost:5173")
        }
    }

    @Test("the OpenAPI document, Swagger UI and ReDoc are served")
    func documentation() async throws {
        try await TestApp.run(.sqlite) { client, _ in
            let document = try await client.get("/openapi.json")
            #expect(document.status == 200)
            let operationIDs = Set(
                document.json["paths"]?.objectValue?.members.flatMap { path in
                    path.value.objectValue?.members.compactMap { $0.value["operationId"]?.stringValue } ?? []
                } ?? [])
            #expect(
                operationIDs.isSuperset(of: [
                    "login-login_access_token", "login-test_token", "login-recover_password", "login-reset_password",
                    "login-recover_password_html_content", "users-read_users", "users-create_user", "users-read_user_me",
                    "users-delete_user_me", "users-update_user_me", "users-update_password_me", "users-register_user",
                    "users-read_user_by_id", "users-update_user", "users-delete_user", "items-read_items", "items-read_item",
                    "items-create_item", "items-update_item", "items-delete_item", "utils-test_email", "utils-health_check",
                    "private-create_user",
                ]))
            #expect(
                document.json["components"]?["securitySchemes"]?["OAuth2PasswordBearer"]?["flows"]?["password"]?["tokenUrl"]
                    == "/api/v1/login/access-token")
            let docs = try await client.client.execute(uri: "/docs", method: .get) { String(buffer: $0.body) }
            #expect(docs.contains("swagger-ui-bundle.js"))
            #expect(docs.contains("url: '/api/v1/openapi.json'"))
            #expect(docs.contains("oauth2RedirectUrl: window.location.origin + '/docs/oauth2-redirect'"))
            let redirect = try await client.client.execute(uri: "/docs/oauth2-redirect", method: .get) { $0.status.code }
            #expect(redirect == 200)
            let redoc = try await client.client.execute(uri: "/redoc", method: .get) { String(buffer: $0.body) }
            #expect(redoc.contains("redoc.standalone.js"))
        }
    }
}

/// The application with its production mailer, which has no transport.
enum TestAppWithoutMailer {
    static func run(_ body: @Sendable (TestClient) async throws -> Void) async throws {
        var overrides = DependencyOverrides()
        overrides.replace(EmailService.self) { scope in
            EmailService(mailer: UnconfiguredMailer(), jobs: try await scope.resolve(AppServices.self).jobs)
        }
        try await TestApp.run(.sqlite, overrides: overrides) { client, _ in try await body(client) }
    }
}
