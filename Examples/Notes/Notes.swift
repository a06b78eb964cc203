// The smallest start: a whole service in one file. A table of notes on SQLite, three typed
// operations with validation (FastAPI's 422s), the OpenAPI document and the docs pages.
//
//   swift run NotesExample          # then open http://127.0.0.1:8080/docs (PORT=... for another port)
//   curl -d '{"text":"hello"}' -H 'content-type: application/json' http://127.0.0.1:8080/notes/
//
// The template's app (Sources/App) grows the same pieces into folders: schemas, routers, services,
// repositories, settings, migrations.

import Foundation
import Hummingbird
import Logging
import TernAPI
import TernAPIDatabase
import TernDatabase

/// What a client sends to write a note.
@Schema
struct NoteCreate {
    @Field(minLength: 1, maxLength: 280) var text: String
}

/// A note, as the API answers it and as the table stores it.
@Schema
struct Note: Decodable {
    var id: UUID
    var text: String
    var createdAt: Date
}

/// The one error the API answers besides validation: its status and text are documented from here.
struct NoteNotFound: APIErrorConvertible {
    var apiError: APIError { APIError(.notFound, "Note not found") }
}

@Input
struct ListNotesInput {
    @Query(ge: 1, le: 100) var limit: Int = 20
    @Depends var session: DatabaseSession
}

@Input
struct CreateNoteInput {
    @Body var note: NoteCreate
    @Depends var session: DatabaseSession
}

@Input
struct NoteByIdInput {
    @Path var id: UUID
    @Depends var session: DatabaseSession
}

/// Notes (tag `notes`): the SQL beside the operations, since there are three of them.
@APIRouter(prefix: "/notes", tags: ["notes"])
struct NotesRouter {
    /// The newest notes first.
    @GET("/")
    func listNotes(_ input: ListNotesInput) async throws -> [Note] {
        try await input.session.query(
            "SELECT id, text, created_at FROM note ORDER BY created_at DESC LIMIT \(input.limit)", as: Note.self)
    }

    /// Write a note.
    @POST("/", status: .created)
    func createNote(_ input: CreateNoteInput) async throws -> Note {
        let note = Note(id: UUID(), text: input.note.text, createdAt: Date())
        try await input.session.execute("INSERT INTO note (id, text, created_at) VALUES (\(note.id), \(note.text), \(note.createdAt))")
        return note
    }

    /// One note.
    @GET("/{id}", errors: [NoteNotFound()])
    func readNote(_ input: NoteByIdInput) async throws -> Note {
        let note = try await input.session.queryFirst("SELECT id, text, created_at FROM note WHERE id = \(input.id)", as: Note.self)
        guard let note else { throw NoteNotFound() }
        return note
    }
}

/// What the operations' dependencies read: here, only the database.
struct NotesContext: DatabaseContext {
    let database: Database
}

@main
struct NotesExample {
    static func main() async throws {
        let logger = Logger(label: "notes")
        let database = Database(DatabaseConfiguration(url: try DatabaseURL("sqlite://notes.sqlite")), logger: logger)
        try await database.execute("CREATE TABLE IF NOT EXISTS note (id TEXT PRIMARY KEY, text TEXT NOT NULL, created_at TEXT NOT NULL)")

        var api = TypedAPI(title: "Notes", version: "1.0.0", context: NotesContext(database: database))
        api.errorHandlers.registerDatabaseErrors()
        api.include(NotesRouter())
        let router = Router(context: APIRequestContext.self)
        try api.install(on: router)  // the operations, /openapi.json, /docs and /redoc

        let port = Int(ProcessInfo.processInfo.environment["PORT"] ?? "") ?? 8080
        var application = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: port)), logger: logger)
        application.addServices(database)  // closed after the server stops
        try await application.runService()
    }
}
