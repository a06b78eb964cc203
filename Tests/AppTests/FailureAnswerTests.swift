import Foundation
import HTTPTypes
import Logging
import TernAPI
import TernDatabase
import TestSupport
import Testing

@testable import App

@Suite("Failures answered, not hidden", .timeLimit(.minutes(5)))
struct FailureAnswerTests {
    @Test("every connection busy past the pool timeout: 503 with Retry-After", arguments: Backend.allCases)
    func poolExhausted(backend: Backend) async throws {
        // No job worker: its claims would take the one connection too.
        try await TestApp.run(backend, environment: ["DATABASE_POOL_SIZE": "1", "DATABASE_POOL_TIMEOUT": "0.2"], worker: false) {
            client, app in
            let token = try await client.superuserToken()
            // A write needs the (only) writer connection, which this holds.
            try await app.services.database.withConnection(.readWrite) { _ in
                let response = try await client.post("/items/", json: ["title": "waits"], token: token)
                #expect(response.status == 503)
                #expect(response.headers[.retryAfter] == "1")
                #expect(response.detail == "Service Unavailable")
            }
            #expect(try await client.post("/items/", json: ["title": "served"], token: token).status == 200)
        }
    }

    @Test("a COMMIT the database refuses is reported, not answered 200", arguments: [Backend.postgres])
    func failedCommit(backend: Backend) async throws {
        try await TestApp.run(backend) { client, app in
            let database = app.services.database
            // A check PostgreSQL runs only at COMMIT: a deferred constraint trigger that refuses every item.
            try await database.execute(
                "CREATE FUNCTION refuse_item() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'refused at commit'; END $$")
            try await database.execute(
                """
                CREATE CONSTRAINT TRIGGER refuse_items AFTER INSERT ON item
                DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION refuse_item()
                """)
            let token = try await client.superuserToken()
            let response = try await client.post("/items/", json: ["title": "never stored"], token: token)
            #expect(response.status == 500)
            #expect(response.detail == "Internal Server Error")
            #expect(try await client.get("/items/", token: token).json["count"] == 0)
        }
    }
}

@Suite("The mailer the settings choose", .timeLimit(.minutes(5)))
struct MailerChoiceTests {
    private func settings(_ environment: [String: String]) throws -> Settings {
        try Settings.load(
            environment: environment.merging(["SECRET_KEY": String(repeating: "k", count: 40)]) { $1 }, dotEnvPath: "/nonexistent"
        )
        .settings
    }

    @Test("in development, emails become files in the outbox folder, with their recipient and subject")
    func outboxInDevelopment() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("outbox-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let mailer = AppServices.mailer(for: try settings(["EMAILS_OUTBOX_DIR": folder]), logger: Logger(label: "test"))
        #expect(mailer is OutboxMailer)
        #expect(mailer.canSend)
        try await mailer.send(OutgoingEmail(to: "someone@example.com", subject: "Hello", html: "<p>Hi</p>", text: "Hi"))
        let files = try FileManager.default.contentsOfDirectory(atPath: folder)
        #expect(files.count == 1)
        let contents = try String(contentsOfFile: "\(folder)/\(try #require(files.first))", encoding: .utf8)
        #expect(contents == "<!-- To: someone@example.com -->\n<!-- Subject: Hello -->\n<p>Hi</p>\n<!--\nHi\n-->\n")
    }

    @Test(
        "outside development, or with the outbox turned off, nothing is sent and senders are told",
        arguments: [
            ["ENVIRONMENT": "production", "FIRST_SUPERUSER_PASSWORD": "a-real-password"], ["EMAILS_OUTBOX_DIR": ""],
        ])
    func noTransport(environment: [String: String]) async throws {
        let mailer = AppServices.mailer(for: try settings(environment), logger: Logger(label: "test"))
        #expect(mailer is UnconfiguredMailer)
        #expect(!mailer.canSend)
        await #expect(throws: EmailError.notConfigured) {
            try await mailer.send(OutgoingEmail(to: "someone@example.com", subject: "Hello", html: "", text: ""))
        }
    }
}
