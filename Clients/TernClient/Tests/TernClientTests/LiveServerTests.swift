import Foundation
import OpenAPIRuntime
import OpenAPIURLSession
import Testing

@testable import TernClient

/// The generated client against a running server: scripts/check-openapi starts one and sets
/// TERN_CLIENT_TEST_URL (the server's root, e.g. http://127.0.0.1:8000) and the first superuser's
/// credentials. Without the URL the tests are skipped: they need a live server, never a mock.
@Suite(.enabled(if: LiveServer.url != nil, "TERN_CLIENT_TEST_URL names no server"))
struct LiveServerTests {
    @Test func logsInWithTheOAuth2FormAndReadsItself() async throws {
        let client = try await LiveServer.signedInClient()
        let me = try await client.usersReadUserMe().ok.body.json
        #expect(me.email == LiveServer.superuserEmail)
        #expect(me.isSuperuser == true)
    }

    @Test func createsReadsUpdatesListsAndDeletesAnItem() async throws {
        let client = try await LiveServer.signedInClient()
        let title = "client-\(UUID().uuidString)"

        let created = try await client.itemsCreateItem(
            body: .json(.init(description: "made by the generated client", title: title))
        ).ok.body.json
        #expect(created.title == title)
        #expect(created.description == "made by the generated client")
        let createdAt = try #require(created.createdAt, "the server stamps a new item")
        #expect(abs(createdAt.timeIntervalSinceNow) < 600, "read with its microseconds, in UTC")

        let read = try await client.itemsReadItem(path: .init(id: created.id)).ok.body.json
        #expect(read.id == created.id && read.title == title)

        let updated = try await client.itemsUpdateItem(
            path: .init(id: created.id), body: .json(.init(description: "changed"))
        ).ok.body.json
        #expect(updated.title == title, "a field left out of the update keeps its value")
        #expect(updated.description == "changed")

        let page = try await client.itemsReadItems(query: .init(skip: 0, limit: 1000)).ok.body.json
        #expect(page.data.contains { $0.id == created.id && $0.description == "changed" })
        #expect(page.count >= page.data.count)

        let deleted = try await client.itemsDeleteItem(path: .init(id: created.id)).ok.body.json
        #expect(deleted.message == "Item deleted successfully")

        let gone = try await client.itemsReadItem(path: .init(id: created.id))
        #expect(try gone.notFound.body.json.detail == "Item not found")
    }

    @Test func anEmptyTitleIsA422NamingTheField() async throws {
        let client = try await LiveServer.signedInClient()
        let response = try await client.itemsCreateItem(body: .json(.init(title: "")))
        let detail = try #require(try response.unprocessableContent.body.json.detail?.first)
        #expect(detail.loc.map { $0.value1 } == ["body", "title"])
        #expect(detail._type == "string_too_short")
    }

    @Test func withoutATokenTheAnswerIs401() async throws {
        let client = LiveServer.client(middlewares: [])
        let response = try await client.itemsReadItems()
        #expect(try response.unauthorized.body.json.detail == "Not authenticated")
    }
}

/// Where the server is, and clients for it.
enum LiveServer {
    static let url = ProcessInfo.processInfo.environment["TERN_CLIENT_TEST_URL"].flatMap(URL.init(string:))
    static let superuserEmail = ProcessInfo.processInfo.environment["FIRST_SUPERUSER"] ?? "admin@example.com"
    static let superuserPassword = ProcessInfo.processInfo.environment["FIRST_SUPERUSER_PASSWORD"] ?? "changethis"

    static func client(middlewares: [any ClientMiddleware]) -> Client {
        Client(
            serverURL: url!,
            configuration: Configuration(dateTranscoder: TernDateTranscoder()),
            transport: URLSessionTransport(),
            middlewares: middlewares
        )
    }

    /// A client that sends the superuser's access token, obtained through the OAuth2 password flow.
    static func signedInClient() async throws -> Client {
        let token = try await client(middlewares: []).loginLoginAccessToken(
            body: .urlEncodedForm(.init(password: superuserPassword, username: superuserEmail))
        ).ok.body.json
        #expect(token.tokenType == "bearer")
        return client(middlewares: [BearerTokenMiddleware(token: token.accessToken)])
    }
}
