import Foundation
import HTTPTypes
import TernPrimitives
import TestSupport
import Testing

@testable import App
@testable import TernAPI

@Suite("Item attachments", .timeLimit(.minutes(5)))
struct AttachmentsTests {
    private static let boundary = "tern-attachment-boundary"

    /// A `multipart/form-data` body with one file in the field `file`.
    private static func upload(filename: String, contentType: String, _ content: String) -> (body: String, headers: HTTPFields) {
        let body = """
            --\(boundary)\r
            Content-Disposition: form-data; name="file"; filename="\(filename)"\r
            Content-Type: \(contentType)\r
            \r
            \(content)\r
            --\(boundary)--\r

            """
        return (body, [.contentType: "multipart/form-data; boundary=\(boundary)"])
    }

    @Test(
        "attach, list, download (with a range), delete; the files go with their item; others' items are out of reach",
        arguments: Backend.allCases)
    func lifecycle(backend: Backend) async throws {
        let uploads = FileManager.default.temporaryDirectory.appendingPathComponent("tern-uploads-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: uploads) }
        try await TestApp.run(backend, environment: ["UPLOADS_DIR": uploads.path, "MAX_UPLOAD_SIZE": "4096"]) { client, app in
            let owner = try await app.createUser(email: "owner@example.com")
            _ = try await app.createUser(email: "other@example.com")
            let item = try await app.createItem(title: "Lamp", owner: owner, createdAt: Date())
            let token = try await client.login("owner@example.com", "user-password")
            let path = "/items/\(item.id.lowercasedString)/attachments/"

            let manual = Self.upload(filename: "../../etc/manual.txt", contentType: "text/plain", "Plug it in.")
            let created = try await client.request(.post, path, token: token, headers: manual.headers, rawBody: manual.body)
            #expect(created.status == 201, "\(created.text)")
            #expect(created.json["filename"] == "manual.txt")
            #expect(created.json["content_type"] == "text/plain")
            #expect(created.json["size"] == 11)
            let id = try #require(created.json["id"]?.stringValue)
            #expect(try FileManager.default.contentsOfDirectory(atPath: uploads.path) == [id])

            let list = try await client.get(path, token: token)
            #expect(list.json["count"] == 1)
            #expect(list.json["data"]?[0]?["id"] == .string(id))

            let download = try await client.get(path + id, token: token)
            #expect(download.status == 200)
            #expect(download.text == "Plug it in.")
            #expect(download.headers[.contentType] == "text/plain")
            #expect(download.headers[.contentDisposition] == #"attachment; filename="manual.txt""#)
            let range = try await client.request(.get, path + id, token: token, headers: [.range: "bytes=0-3"])
            #expect(range.status == 206)
            #expect(range.text == "Plug")

            let tooBig = Self.upload(filename: "big.txt", contentType: "text/plain", String(repeating: "x", count: 5000))
            #expect(try await client.request(.post, path, token: token, headers: tooBig.headers, rawBody: tooBig.body).status == 413)
            let missing = try await client.request(.post, path, form: "file=text", token: token)
            #expect(missing.status == 422)

            let otherToken = try await client.login("other@example.com", "user-password")
            #expect(try await client.get(path, token: otherToken).status == 403)
            #expect(try await client.get(path + id, token: otherToken).status == 403)
            #expect(try await client.request(.post, path, token: otherToken, headers: manual.headers, rawBody: manual.body).status == 403)
            #expect(try await client.get(path + UUID().uuidString, token: token).status == 404)
            #expect(try await client.get("/items/\(UUID().uuidString)/attachments/", token: token).status == 404)

            let second = try await client.request(.post, path, token: token, headers: manual.headers, rawBody: manual.body)
            let secondID = try #require(second.json["id"]?.stringValue)
            #expect(try await client.request(.delete, path + secondID, token: token).status == 200)
            #expect(try await client.get(path + secondID, token: token).status == 404)
            #expect(try FileManager.default.contentsOfDirectory(atPath: uploads.path) == [id])

            #expect(try await client.request(.delete, "/items/\(item.id.lowercasedString)", token: token).status == 200)
            #expect(try FileManager.default.contentsOfDirectory(atPath: uploads.path).isEmpty)
        }
    }
}
