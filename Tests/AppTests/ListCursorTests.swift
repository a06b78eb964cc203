import Foundation
import TernPrimitives
import TestSupport
import Testing

@testable import App
@testable import TernAPI

@Suite("Keyset pagination of lists (cursor and next_cursor)", .timeLimit(.minutes(5)))
struct ListCursorTests {
    /// Items whose order needs every part of the position: rows without a timestamp (first, by id),
    /// rows sharing a timestamp (by id), timestamps a microsecond apart.
    private func seedItems(_ app: TestApp, owner: User) async throws {
        let base = Date(timeIntervalSince1970: 1_700_000_000.123456)
        for n in 0..<3 {
            _ = try await ItemRepository().insert(
                Item(id: UUID(), title: "undated \(n)", description: nil, ownerId: owner.id, createdAt: nil), on: app.services.database)
        }
        for n in 0..<4 { try await app.createItem(title: "same \(n)", owner: owner, createdAt: base) }
        for n in 1...6 { try await app.createItem(title: "micro \(n)", owner: owner, createdAt: base + Double(n) / 1_000_000) }
    }

    /// Logs in as a new user who owns the seeded items.
    private func ownerOfSeededItems(_ client: TestClient, _ app: TestApp) async throws -> String {
        try await seedItems(app, owner: try await app.createUser(email: "owner@example.com"))
        return try await client.login("owner@example.com", "user-password")
    }

    /// Every title of a walk from the first page along `next_cursor`, checking each page's count.
    private func walk(_ client: TestClient, _ path: String, limit: Int, token: String, count: Int) async throws -> [JSONValue] {
        var titles: [JSONValue] = []
        var cursor: String?
        for _ in 0..<50 {
            let query = "?limit=\(limit)" + (cursor.map { "&cursor=\($0)" } ?? "")
            let page = try await client.get(path + query, token: token)
            #expect(page.status == 200, "\(page.text)")
            #expect(page.json["count"] == .integer(Int64(count)))
            titles += page.json["data"]?.arrayValue?.map { $0["title"] ?? $0["email"] ?? .null } ?? []
            guard case .string(let next)? = page.json["next_cursor"] else { return titles }
            cursor = next
        }
        Issue.record("the walk did not end")
        return titles
    }

    @Test("walking next_cursor gives the rows skip/limit gives, in the same order", arguments: Backend.allCases)
    func walkMatchesOffsets(backend: Backend) async throws {
        try await TestApp.run(backend) { client, app in
            let token = try await ownerOfSeededItems(client, app)
            let all = try await client.get("/items/?limit=100", token: token)
            #expect(all.json["next_cursor"] == .null)
            let expected = all.json["data"]?.arrayValue?.map { $0["title"] ?? .null } ?? []
            #expect(expected.count == 13)
            #expect(expected.prefix(3).allSatisfy { $0.stringValue?.hasPrefix("undated") == true })
            #expect(Array(expected[3..<9]) == (1...6).reversed().map { .string("micro \($0)") })
            for limit in [1, 2, 5] {
                #expect(try await walk(client, "/items/", limit: limit, token: token, count: 13) == expected, "limit \(limit)")
            }
            // A skip/limit page also tells where the next one starts.
            let second = try await client.get("/items/?skip=4&limit=4", token: token)
            guard case .string(let cursor)? = second.json["next_cursor"] else {
                Issue.record("no next_cursor: \(second.text)")
                return
            }
            let third = try await client.get("/items/?limit=4&cursor=\(cursor)", token: token)
            #expect(third.json["data"]?.arrayValue?.map { $0["title"] ?? .null } == Array(expected[8..<12]))
            // skip counts from the cursor.
            let skipped = try await client.get("/items/?skip=2&limit=2&cursor=\(cursor)", token: token)
            #expect(skipped.json["data"]?.arrayValue?.map { $0["title"] ?? .null } == Array(expected[10..<12]))
        }
    }

    @Test("the users list walks the same way", arguments: Backend.allCases)
    func users(backend: Backend) async throws {
        try await TestApp.run(backend) { client, app in
            let start = Date(timeIntervalSince1970: 1_700_000_000)
            for n in 0..<5 { _ = try await app.createUser(email: "user\(n)@example.com", createdAt: start + Double(n % 2)) }
            let token = try await client.superuserToken()
            let all = try await client.get("/users/?limit=100", token: token)
            let expected = all.json["data"]?.arrayValue?.map { $0["email"] ?? .null } ?? []
            #expect(expected.count == 6)
            #expect(try await walk(client, "/users/", limit: 2, token: token, count: 6) == expected)
        }
    }

    @Test("an altered, foreign or malformed cursor is a 422 at query.cursor", arguments: Backend.allCases)
    func badCursors(backend: Backend) async throws {
        try await TestApp.run(backend) { client, app in
            let token = try await ownerOfSeededItems(client, app)
            guard case .string(let cursor)? = try await client.get("/items/?limit=2", token: token).json["next_cursor"] else {
                Issue.record("no next_cursor")
                return
            }
            let parts = cursor.split(separator: ".")
            // The position of another row, signed with the old signature.
            let forgedPayload = Data(#"{"i":"\#(UUID().uuidString)","t":0}"#.utf8).base64URLEncoded
            let foreign = PageCursors(secrets: ["another-secret-key"], purpose: "list position").make(
                PagePosition(createdAt: Date(), id: UUID()))
            for bad in [forgedPayload + "." + parts[1], foreign, "not-a-cursor", String(parts[0]), cursor + "x"] {
                let answer = try await client.get("/items/?limit=2&cursor=\(bad)", token: token)
                #expect(answer.status == 422, "\(bad)")
                #expect(answer.detail?[0]?["loc"] == ["query", "cursor"])
                #expect(answer.detail?[0]?["type"] == "value_error")
                #expect(answer.detail?[0]?["msg"] == "Value error, Invalid cursor")
            }
        }
    }

    @Test("a cursor signed with a previous secret key still reads")
    func rotatedSecret() {
        let position = PagePosition(createdAt: Date(timeIntervalSince1970: 1_700_000_000.000001), id: UUID())
        let old = PageCursors(secrets: ["old-secret"], purpose: "list position").make(position)
        let rotated = PageCursors(secrets: ["new-secret", "old-secret"], purpose: "list position")
        #expect(rotated.position(from: old, as: PagePosition.self) == position)
        #expect(PageCursors(secrets: ["new-secret"], purpose: "list position").position(from: old, as: PagePosition.self) == nil)
        #expect(PageCursors(secrets: ["old-secret"], purpose: "other").position(from: old, as: PagePosition.self) == nil)
        #expect(position.microseconds == 1_700_000_000_000_001)
    }
}
