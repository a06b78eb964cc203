import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import TernAuth
import TernDatabase
import TestSupport
import Testing

@testable import App
@testable import TernAPI

@Schema
struct NoteInput {
    var text: String
    var fail: Bool = false
}

@Input
struct WriteNoteInput {
    @Body var note: NoteInput
    @Depends var session: DatabaseSession
}

struct Boom: Error {}

/// Operations that exist only for these tests: a write followed by a failure, and an unexpected error.
@APIRouter(prefix: "/test", tags: ["test"])
struct UnitOfWorkTestRouter {
    @POST("/notes")
    func writeNote(_ input: WriteNoteInput) async throws -> Bool {
        try await input.session.execute("INSERT INTO note (text) VALUES (\(input.note.text))")
        if input.note.fail { throw Boom() }
        return true
    }

    @GET("/boom")
    func boom() throws -> Bool {
        throw Boom()
    }
}

@Suite("Unit of work", .timeLimit(.minutes(5)))
struct UnitOfWorkTests {
    private func withApp(_ backend: Backend, _ body: @Sendable (any TestClientProtocol, Database) async throws -> Void) async throws {
        try await TestDatabase.with(backend, migrated: true) { testDatabase in
            try await testDatabase.open().closing { database in
                try await database.execute("CREATE TABLE note (text VARCHAR(100) NOT NULL CHECK (text <> 'forbidden'))")
                let settings = try Settings.load(environment: ["DATABASE_URL": testDatabase.url.string], dotEnvPath: "/nonexistent")
                    .settings
                let services = try await AppServices(
                    settings: settings, database: database, redis: nil, passwordHasher: PasswordHasher(parameters: TestApp.cheapHashing),
                    tokens: .init(secret: "secret", accessTokenLifetime: .seconds(60)), mailer: RecordingMailer(),
                    logger: Logger(label: "test"))
                var api = AppAPI.make(services: services)
                api.include(UnitOfWorkTestRouter())
                let router = Router()
                try api.install(on: router)
                try await Application(router: router).test(.router) { client in try await body(client, database) }
            }
        }
    }

    private func post(_ client: any TestClientProtocol, _ body: JSONValue) async throws -> (Int, JSONValue) {
        try await client.execute(
            uri: "/api/v1/test/notes", method: .post, headers: [.contentType: "application/json"], body: ByteBuffer(string: body.jsonText)
        ) { response in (Int(response.status.code), (try? JSONParser.parse(Array(response.body.readableBytesView))) ?? .null) }
    }

    @Test("a request's writes commit together when the handler succeeds and roll back when it throws", arguments: Backend.allCases)
    func commitAndRollback(backend: Backend) async throws {
        try await withApp(backend) { client, database in
            #expect(try await post(client, ["text": "kept"]).0 == 200)
            let failed = try await post(client, ["text": "lost", "fail": true])
            #expect(failed.0 == 500)
            #expect(failed.1 == ["detail": "Internal Server Error"])
            #expect(try await database.query("SELECT text FROM note", as: String.self) == ["kept"])
        }
    }

    @Test("an unexpected error is a 500 that says nothing about it", arguments: [Backend.sqlite])
    func internalError(backend: Backend) async throws {
        try await withApp(backend) { client, _ in
            let (status, body) = try await client.execute(uri: "/api/v1/test/boom", method: .get) { response in
                (response.status.code, String(buffer: response.body))
            }
            #expect(status == 500)
            #expect(body == #"{"detail":"Internal Server Error"}"#)
        }
    }

    @Test("a value the column cannot hold is a client error, not a 500", arguments: [Backend.postgres])
    func invalidValue(backend: Backend) async throws {
        try await withApp(backend) { client, database in
            let (status, body) = try await post(client, ["text": .string(String(repeating: "x", count: 150))])
            #expect(status == 422)
            #expect(body["detail"]?[0]?["type"] == "value_error")
            let (nulStatus, _) = try await post(client, ["text": "nul\u{0}byte"])
            #expect(nulStatus == 422)
            #expect(try await database.query("SELECT text FROM note", as: String.self).isEmpty)
        }
    }

    @Test("a value a CHECK constraint refuses is a client error, not a 500", arguments: Backend.allCases)
    func checkViolation(backend: Backend) async throws {
        try await withApp(backend) { client, database in
            let (status, body) = try await post(client, ["text": "forbidden"])
            #expect(status == 422)
            #expect(body["detail"]?[0]?["type"] == "value_error")
            #expect(try await database.query("SELECT text FROM note", as: String.self).isEmpty)
        }
    }
}
