import Foundation
import TestSupport
import Testing

@Suite("api openapi", .timeLimit(.minutes(5)))
struct OpenAPICommandTests {
    @Test("prints the document with the configured bounds, without a database")
    func printsDocument() async throws {
        let api = try APIProcess(environment: [
            "DATABASE_URL": "postgres://tern@127.0.0.1:1/unreachable", "PAGINATION_MAX_LIMIT": "50",
        ])
        defer { api.delete() }
        let result = try await api.run(["openapi"])
        #expect(result.status == 0, "\(result.errorOutput)")
        let document = try #require(try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any])
        let paths = try #require(document["paths"] as? [String: Any])
        let readItems = try #require((paths["/api/v1/items/"] as? [String: Any])?["get"] as? [String: Any])
        let parameters = try #require(readItems["parameters"] as? [[String: Any]])
        let limit = try #require(parameters.first { $0["name"] as? String == "limit" })
        #expect((limit["schema"] as? [String: Any])?["maximum"] as? Int == 50)
        // Every process prints the same bytes (hashing is seeded per process; the keys are sorted).
        #expect(try await api.run(["openapi"]).output == result.output)
    }
}
