import Foundation
import TernRateLimit
import Testing

@testable import TernAPI

extension Scope {
    fileprivate static let booksRead = Scope("books:read", description: "Read books")
    fileprivate static let booksWrite = Scope("books:write", description: "Write books")
}

/// The caller named by a bearer token, or by an API key: two credentials, either will do.
private struct Reader: Dependency {
    @Input
    struct Needs {
        @Depends var bearer: OAuth2PasswordBearer
    }

    static func resolve(_ needs: Needs, in scope: RequestScope) async throws -> Reader { Reader() }
}

/// A service built from the reader: its needs are listed after it.
private struct Shelf: Dependency {
    @Input
    struct Needs {
        @Depends var reader: Reader
    }

    static func resolve(_ needs: Needs, in scope: RequestScope) async throws -> Shelf { Shelf() }
}

@Input
private struct ShelfInput {
    @Depends var shelf: Shelf
}

@Input
private struct ReaderInput {
    @Depends var reader: Reader
}

@Schema
private struct Note {
    var text: String
}

@APIRouter(prefix: "/books", tags: ["books"], scopes: [.booksRead])
private struct BooksRouter {
    @GET("/")
    func list(_ input: ShelfInput) -> Int { 1 }

    @POST("/", rateLimits: [.borrowing], scopes: [.booksWrite])
    func borrow(_ input: ShelfInput) -> Int { 2 }

    @GET("/about", includeInSchema: false)
    func about() -> String { "about" }
}

extension RateLimitRule {
    fileprivate static let borrowing = RateLimitRule("borrowing", [RateLimit(5, per: .seconds(60))])
}

private let notesSocket = WebSocketRoute(
    "/ws/notes", name: "notes", scopes: [.booksRead], receives: Note.self, sends: Note.self
) { (input: ReaderInput, session) in
    for try await _ in session.messages {}
}

@Suite("Route listing (api routes)", .timeLimit(.minutes(5)))
struct RouteListingTests {
    private func api() -> TypedAPI<Void> {
        var api = TypedAPI(title: "Library", version: "1", prefix: "/api")
        api.securitySchemes[OAuth2PasswordBearer.schemeName] = .oauth2Password(tokenURL: "/token")
        api.rateLimiting = RateLimiting(
            limiter: InProcessRateLimiter(), defaultRule: RateLimitRule("default", [RateLimit(100, per: .seconds(60))]))
        api.include(BooksRouter())
        api.include(notesSocket)
        return api
    }

    @Test("each route with its dependencies (theirs after them), its credentials with the scopes they must grant, and its limits")
    func summaries() {
        let routes = api().routeSummaries
        #expect(
            routes.map { "\($0.method) \($0.path)" } == [
                "GET /api/books/", "POST /api/books/", "GET /api/books/about", "WEBSOCKET /api/ws/notes",
            ])
        #expect(routes[0].operationID == "books-list")
        #expect(routes[0].dependencies == ["Shelf", "Reader", "OAuth2PasswordBearer"])
        #expect(routes[0].security == ["OAuth2PasswordBearer [books:read]"])
        #expect(routes[0].rateLimits == ["default: 100 per 60 seconds by ip"])
        #expect(routes[0].documented)
        #expect(routes[1].security == ["OAuth2PasswordBearer [books:read, books:write]"])
        #expect(routes[1].rateLimits == ["default: 100 per 60 seconds by ip", "borrowing: 5 per 60 seconds by ip"])
        #expect(routes[2].security.isEmpty && routes[2].dependencies.isEmpty && !routes[2].documented)
        #expect(routes[3].operationID == "notes")
        #expect(routes[3].dependencies == ["Reader", "OAuth2PasswordBearer"])
        #expect(routes[3].security == ["OAuth2PasswordBearer [books:read]"])
    }

    @Test("the table: a line per route, its needs indented below, public routes said so")
    func table() throws {
        let lines = api().routesTable().split(separator: "\n").map(String.init)
        #expect(lines[0] == "GET        /api/books/       books-list")
        #expect(lines[1] == "           security:     OAuth2PasswordBearer [books:read]")
        #expect(lines[2] == "           dependencies: Shelf, Reader, OAuth2PasswordBearer")
        #expect(lines[3] == "           rate limits:  default: 100 per 60 seconds by ip")
        let about = try #require(lines.firstIndex { $0.hasPrefix("GET        /api/books/about") })
        #expect(lines[about] == "GET        /api/books/about  books-about  (not in the docs)")
        #expect(lines.dropFirst(about + 1).first == "           security:     public")
    }
}
