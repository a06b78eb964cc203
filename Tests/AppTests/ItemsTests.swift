import Foundation
import HTTPTypes
import TernAuth
import TernPrimitives
import TestSupport
import Testing

@testable import App
@testable import TernAPI

@Suite("Items", .timeLimit(.minutes(5)))
struct ItemsTests {
    @Test("exports: CSV and JSON Lines of every item the list shows, across batches, no one else's", arguments: Backend.allCases)
    func exports(backend: Backend) async throws {
        try await TestApp.run(backend) { client, app in
            let owner = try await app.createUser(email: "owner@example.com")
            let other = try await app.createUser(email: "other@example.com")
            var titles: Set<String> = ["Lamp, \"big\""]
            try await app.createItem(title: "Lamp, \"big\"", owner: owner, createdAt: Date())
            for n in 1...1000 {
                titles.insert("Item \(n)")
                try await app.createItem(title: "Item \(n)", owner: owner, createdAt: Date())
            }
            try await app.createItem(title: "Not yours", owner: other, createdAt: Date())
            let token = try await client.login("owner@example.com", "user-password")

            let csv = try await client.get("/items/export/csv", token: token)
            #expect(csv.status == 200)
            #expect(csv.headers[.contentType] == "text/csv; charset=utf-8")
            #expect(csv.headers[.contentDisposition] == "attachment; filename=\"items.csv\"")
            let rows = csv.text.components(separatedBy: "\r\n").dropLast()
            #expect(rows.first == "id,title,description,owner_id,created_at")
            #expect(rows.count == 1002)
            #expect(rows.contains { $0.contains(",\"Lamp, \"\"big\"\"\",,\(owner.id.lowercasedString),") })
            #expect(!csv.text.contains("Not yours"))

            let lines = try await client.get("/items/export/jsonl", token: token)
            #expect(lines.headers[.contentType] == "application/jsonl")
            let items = try lines.text.split(separator: "\n").map { try JSONParser.parse(String($0)) }
            #expect(Set(items.compactMap { $0["title"]?.stringValue }) == titles)
            #expect(Set(items.compactMap { $0["id"]?.stringValue }).count == 1001)
            #expect(items.allSatisfy { $0["owner_id"] == .string(owner.id.lowercasedString) })

            let everyone = try await client.get("/items/export/jsonl", token: try await client.superuserToken())
            #expect(everyone.text.split(separator: "\n").count == 1002)
            #expect(try await client.get("/items/export/csv").status == 401)
        }
    }

    @Test("users create, read, update and delete their own items", arguments: Backend.allCases)
    func lifecycle(backend: Backend) async throws {
        try await TestApp.run(backend) { client, app in
            let owner = try await app.createUser(email: "owner@example.com")
            let token = try await client.login("owner@example.com", "user-password")
            let created = try await client.post("/items/", json: ["title": "Lamp", "description": "Bright"], token: token)
            #expect(created.status == 200)
            #expect(created.json["owner_id"] == .string(owner.id.uuidString.lowercased()))
            let id = try #require(created.json["id"]?.stringValue)

            #expect(try await client.get("/items/\(id)", token: token).json["title"] == "Lamp")
            let renamed = try await client.put("/items/\(id)", json: ["title": "Desk lamp"], token: token)
            #expect(renamed.json["title"] == "Desk lamp")
            #expect(renamed.json["description"] == "Bright")
            let cleared = try await client.put("/items/\(id)", json: ["description": nil], token: token)
            #expect(cleared.json["description"] == .null)
            #expect(cleared.json["title"] == "Desk lamp")
            let deleted = try await client.delete("/items/\(id)", token: token)
            #expect(deleted.json["message"] == "Item deleted successfully")
            let gone = try await client.get("/items/\(id)", token: token)
            #expect(gone.status == 404)
            #expect(gone.detail == "Item not found")
        }
    }

    @Test("others get 404 before 403; superusers see everything", arguments: Backend.allCases)
    func ownership(backend: Backend) async throws {
        try await TestApp.run(backend) { client, app in
            _ = try await app.createUser(email: "owner@example.com")
            _ = try await app.createUser(email: "other@example.com")
            let owner = try await client.login("owner@example.com", "user-password")
            let other = try await client.login("other@example.com", "user-password")
            let id = try #require(try await client.post("/items/", json: ["title": "Mine"], token: owner).json["id"]?.stringValue)
            for response in [
                try await client.get("/items/\(id)", token: other),
                try await client.put("/items/\(id)", json: ["title": "Stolen"], token: other),
                try await client.delete("/items/\(id)", token: other),
            ] {
                #expect(response.status == 403)
                #expect(response.detail == "Not enough permissions")
            }
            let unknown = UUID().uuidString
            #expect(try await client.put("/items/\(unknown)", json: ["title": "x"], token: other).detail == "Item not found")
            let deleteUnknown = try await client.delete("/items/\(unknown)", token: other)
            #expect(deleteUnknown.status == 404)
            #expect(deleteUnknown.detail == "Item not found")
            let admin = try await client.superuserToken()
            let seenByAdmin = try await client.get("/items/\(id)", token: admin)
            #expect(seenByAdmin.status == 200)
            #expect(seenByAdmin.json["id"] == .string(id))
            #expect(try await client.get("/items/", token: other).json["count"] == 0)
            #expect(try await client.get("/items/", token: admin).json["count"] == 1)
        }
    }

    @Test(
        "an item read takes its item along with the caller's lookup, one round trip, and answers as before",
        arguments: Backend.allCases)
    func itemReadInOneRoundTrip(backend: Backend) async throws {
        try await TestApp.run(backend, environment: ["SERVER_TIMING": "true", "CACHE_TTL": "0"]) { client, app in
            let owner = try await app.createUser(email: "owner@example.com")
            _ = try await app.createUser(email: "other@example.com")
            let sleepy = try await app.createUser(email: "sleepy@example.com", isActive: false)
            let mine = try await client.signIn("owner@example.com", "user-password")
            let other = try await client.login("other@example.com", "user-password")
            let item = try await app.createItem(title: "Mine", owner: owner, createdAt: Date())
            let id = item.id.lowercasedString

            let read = try await client.get("/items/\(id)", token: mine.access)
            #expect(read.status == 200)
            #expect(read.json["title"] == "Mine")
            #expect(try roundTrips(read) == 1, "the caller and the item together")
            let others = try await client.get("/items/\(id)", token: other)
            #expect(others.status == 403)
            #expect(others.detail == "Not enough permissions")
            let missing = try await client.get("/items/\(UUID().uuidString)", token: other)
            #expect(missing.status == 404)
            #expect(missing.detail == "Item not found")
            // A 401 still comes before the path's 422, which still comes.
            #expect(try await client.get("/items/not-a-uuid").status == 401)
            let invalid = try await client.get("/items/not-a-uuid", token: other)
            #expect(invalid.status == 422)
            #expect(invalid.json["detail"]?[0]?["loc"] == ["path", "id"])
            #expect(try roundTrips(invalid) == 1, "the caller alone")
            let inactive = try await client.get(
                "/items/\(id)", token: try await app.services.tokens.accessToken(subject: sleepy.id.lowercasedString, session: nil))
            #expect(inactive.status == 400)
            #expect(inactive.detail == "Inactive user")
            #expect(try await client.post("/logout", token: mine.access).status == 200)
            let loggedOut = try await client.get("/items/\(id)", token: mine.access)
            #expect(loggedOut.status == 403)
            #expect(loggedOut.detail == "Could not validate credentials")
            // A change is read back, not the item read ahead before it.
            let admin = try await client.superuserToken()
            #expect(try await client.put("/items/\(id)", json: ["title": "Renamed"], token: admin).status == 200)
            #expect(try await client.get("/items/\(id)", token: admin).json["title"] == "Renamed")
        }
    }

    @Test(
        "with the cache on, an item read ahead is answered but never cached; a read through the cache is, and sends nothing",
        arguments: Backend.allCases)
    func itemReadThroughTheCache(backend: Backend) async throws {
        try await TestApp.run(backend, environment: ["SERVER_TIMING": "true", "CACHE_TTL": "60"]) { client, app in
            let owner = try await app.createUser(email: "owner@example.com")
            let token = try await client.login("owner@example.com", "user-password")
            let item = try await app.createItem(title: "Mine", owner: owner, createdAt: Date())
            let id = item.id.lowercasedString
            let first = try await client.get("/items/\(id)", token: token)
            #expect(first.json["title"] == "Mine")
            #expect(try roundTrips(first) == 1, "the caller, with the item read ahead")
            // Changed behind the cache's back: had the item read ahead been cached, the next read would not see it.
            _ = try await ItemRepository().update(id: item.id, title: "Changed", description: nil, on: app.services.database)
            let second = try await client.get("/items/\(id)", token: token)
            #expect(second.json["title"] == "Changed")
            #expect(try roundTrips(second) == 1, "the caller from the cache, the item read and cached")
            let third = try await client.get("/items/\(id)", token: token)
            #expect(third.json["title"] == "Changed")
            #expect(try roundTrips(third) == 0, "the caller and the item from the cache")
            #expect(try await client.put("/items/\(id)", json: ["title": "Renamed"], token: token).status == 200)
            #expect(try await client.get("/items/\(id)", token: token).json["title"] == "Renamed")
        }
    }

    /// The round trips to the database a response's `Server-Timing` counts.
    private func roundTrips(_ response: TestResponse) throws -> Int {
        let timing = try #require(response.headers[HTTPField.Name("Server-Timing")!])
        let match = try #require(timing.firstMatch(of: /desc="[0-9]+ statements in ([0-9]+) round trips"/))
        return try #require(Int(match.1))
    }

    @Test("lists are newest first with the total count of visible items", arguments: Backend.allCases)
    func list(backend: Backend) async throws {
        try await TestApp.run(backend) { client, app in
            let owner = try await app.createUser(email: "owner@example.com")
            let token = try await client.login("owner@example.com", "user-password")
            // Creation times set apart explicitly: the order is the test's, not the clock's.
            let start = Date(timeIntervalSince1970: 1_700_000_000)
            for (offset, title) in ["one", "two", "three"].enumerated() {
                try await app.createItem(title: title, owner: owner, createdAt: start + Double(offset))
            }
            let page = try await client.get("/items/?skip=0&limit=2", token: token)
            #expect(page.json["count"] == 3)
            #expect(page.json["data"]?.arrayValue?.map { $0["title"] } == ["three", "two"])
            let pastTheEnd = try await client.get("/items/?skip=10&limit=2", token: token)
            #expect(pastTheEnd.json["data"] == [])
            #expect(pastTheEnd.json["count"] == 3)
            #expect(try await client.get("/items/?limit=abc", token: token).detail?[0]?["type"] == "int_parsing")
            // Authentication comes first, as FastAPI resolves dependencies before it validates parameters.
            #expect(try await client.get("/items/?limit=abc").status == 401)
            #expect(try await client.get("/items/?limit=abc", token: "not-a-token").status == 403)
        }
    }

    @Test("a title of 255 characters fits whatever their bytes (the database counts characters, in UTF-8)", arguments: Backend.allCases)
    func multibyteTitle(backend: Backend) async throws {
        try await TestApp.run(backend) { client, _ in
            let token = try await client.superuserToken()
            let title = String(repeating: "é😀", count: 127) + "ü"
            let created = try await client.post("/items/", json: ["title": .string(title)], token: token)
            #expect(created.status == 200, "\(created.text)")
            #expect(created.json["title"] == .string(title))
        }
    }

    @Test("invalid items are 422 with every problem listed", arguments: Backend.allCases)
    func validation(backend: Backend) async throws {
        try await TestApp.run(backend) { client, app in
            _ = try await app.createUser(email: "owner@example.com")
            let token = try await client.login("owner@example.com", "user-password")
            let response = try await client.post(
                "/items/", json: ["title": "", "description": .string(String(repeating: "x", count: 256))], token: token)
            #expect(response.status == 422)
            #expect(response.detail?.arrayValue?.map { $0["type"] } == ["string_too_short", "string_too_long"])
            #expect(response.detail?[0]?["loc"] == ["body", "title"])
            let update = try await client.put("/items/\(UUID().uuidString)", json: ["title": ""], token: token)
            #expect(update.status == 422)
        }
    }
}
