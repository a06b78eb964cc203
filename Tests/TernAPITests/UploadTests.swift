import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

@testable import TernAPI

@Input
struct UploadInput {
    @Form var title: String
    @Form var file: UploadFile
    @Form var extras: [UploadFile] = []
    @Form var note: UploadFile?
}

@Schema
struct UploadedFile {
    var filename: String?
    var contentType: String?
    var size: Int
    var sha256: String
    var spooled: Bool
}

@Schema
struct UploadSummary {
    var title: String
    var file: UploadedFile
    var extras: [UploadedFile]
    var note: UploadedFile?
}

extension UploadedFile {
    init(_ file: UploadFile) async throws {
        let bytes = try await file.bytes()
        let digest = SHA256.hash(data: Array(bytes.readableBytesView)).map { String(format: "%02x", $0) }.joined()
        var spooled = false
        if case .spooled = file.storage { spooled = true }
        self.init(filename: file.filename, contentType: file.contentType, size: file.size, sha256: digest, spooled: spooled)
    }
}

@Input
struct ImageInput {
    @Form var image: UploadFile
}

@Input
struct PrivateUploadInput {
    @Form var file: UploadFile
    @Depends var bearer: OAuth2PasswordBearer
}

@APIRouter(prefix: "/uploads")
struct UploadsRouter {
    /// Takes a title, a file, more files and an optional note, and answers what it received.
    @POST("/", maxBodySize: 64 << 10)
    func upload(_ input: UploadInput) async throws -> UploadSummary {
        var extras: [UploadedFile] = []
        for extra in input.extras { extras.append(try await UploadedFile(extra)) }
        let note: UploadedFile? = if let note = input.note { try await UploadedFile(note) } else { nil }
        return UploadSummary(title: input.title, file: try await UploadedFile(input.file), extras: extras, note: note)
    }

    /// Images only.
    @POST("/image")
    func image(_ input: ImageInput) async throws -> UploadedFile {
        try input.image.require(mediaTypes: ["image/*"])
        return try await UploadedFile(input.image)
    }

    /// For callers with a token only.
    @POST("/private")
    func privateUpload(_ input: PrivateUploadInput) async throws -> UploadedFile {
        try await UploadedFile(input.file)
    }
}

/// A `multipart/form-data` body, built part by part.
struct MultipartBody {
    static let boundary = "----TernBoundary7MA4YWxkTrZu0gW"
    var bytes: [UInt8] = []

    mutating func field(_ name: String, _ value: String) {
        part(#"form-data; name="\#(name)""#, contentType: nil, Array(value.utf8))
    }

    mutating func file(_ name: String, filename: String, contentType: String = "application/octet-stream", _ content: [UInt8]) {
        part(#"form-data; name="\#(name)"; filename="\#(filename)""#, contentType: contentType, content)
    }

    private mutating func part(_ disposition: String, contentType: String?, _ content: [UInt8]) {
        var head = "--\(Self.boundary)\r\nContent-Disposition: \(disposition)\r\n"
        if let contentType { head += "Content-Type: \(contentType)\r\n" }
        bytes += Array((head + "\r\n").utf8) + content + Array("\r\n".utf8)
    }

    var finished: ByteBuffer { ByteBuffer(bytes: bytes + Array("--\(Self.boundary)--\r\n".utf8)) }
    static var contentType: String { "multipart/form-data; boundary=\(boundary)" }
}

@Suite("Uploads: multipart forms, files spooled to disk, limits", .timeLimit(.minutes(2)))
struct UploadTests {
    /// Runs `body` against the uploads API, with a spool folder of its own (tests run in parallel):
    /// the folder is handed to `body` to check what is left in it.
    private func withUploads(_ body: @escaping @Sendable (any TestClientProtocol, URL) async throws -> Void) async throws {
        let spool = FileManager.default.temporaryDirectory.appendingPathComponent("tern-spool-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: spool, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: spool) }
        var api = TypedAPI(title: "Uploads", version: "1")
        api.include(UploadsRouter())
        api.multipartLimits = MultipartLimits(spoolThreshold: 1024, maxFieldSize: 100, temporaryDirectory: spool.path)
        let router = Router()
        try api.install(on: router)
        try await Application(router: router).test(.router) { client in try await body(client, spool) }
    }

    private func post(
        _ client: any TestClientProtocol, _ body: ByteBuffer, to path: String = "/uploads/", contentType: String = MultipartBody.contentType
    ) async throws -> (status: HTTPResponse.Status, json: JSONValue) {
        try await client.execute(uri: path, method: .post, headers: [.contentType: contentType], body: body) { response in
            (response.status, (try? JSONParser.parse(Array(response.body.readableBytesView))) ?? .null)
        }
    }

    private static func sha256(_ bytes: [UInt8]) -> String {
        SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
    }

    @Test("text fields and files, several per field, small ones in memory and large ones spooled, the spool cleaned up after")
    func fieldsAndFiles() async throws {
        try await withUploads { client, spool in
            let large = (0..<50_000).map { UInt8(truncatingIfNeeded: $0 &* 7) }  // past the 1 KiB threshold, with \r bytes inside
            var form = MultipartBody()
            form.field("title", "Holiday")
            form.file("file", filename: "große photo.bin", large)
            form.file("extras", filename: "a.txt", contentType: "text/plain", Array("first\r\n--almost a boundary".utf8))
            form.file("extras", filename: "b.txt", contentType: "text/plain", Array("second".utf8))
            let (status, json) = try await post(client, form.finished)
            #expect(status == .ok, "\(json)")
            #expect(json["title"] == "Holiday")
            #expect(json["file"]?["filename"] == "große photo.bin")
            #expect(json["file"]?["size"] == .integer(50_000))
            #expect(json["file"]?["sha256"] == .string(Self.sha256(large)))
            #expect(json["file"]?["spooled"] == true)
            #expect(json["extras"]?[0]?["sha256"] == .string(Self.sha256(Array("first\r\n--almost a boundary".utf8))))
            #expect(json["extras"]?[0]?["spooled"] == false)
            #expect(json["extras"]?[1]?["content_type"] == "text/plain")
            #expect(json["note"] == .null)
            let left = try FileManager.default.contentsOfDirectory(atPath: spool.path)
            #expect(left.isEmpty, "temporary files left: \(left)")
        }
    }

    @Test("a missing file, and text where a file belongs, are 422s as FastAPI writes them")
    func validation() async throws {
        try await withUploads { client, spool in
            var form = MultipartBody()
            form.field("note", "not a file")
            let (status, json) = try await post(client, form.finished)
            #expect(status == .unprocessableContent)
            let detail = json["detail"]?.arrayValue ?? []
            #expect(detail.count == 3, "\(json)")
            #expect(detail.contains { $0["type"] == "missing" && $0["loc"] == ["body", "title"] })
            #expect(detail.contains { $0["type"] == "missing" && $0["loc"] == ["body", "file"] })
            #expect(
                detail.contains {
                    $0["type"] == "value_error" && $0["loc"] == ["body", "note"]
                        && $0["msg"] == "Value error, Expected UploadFile, received: <class 'str'>"
                })
        }
    }

    @Test("a body past the route's limit is a 413, as is a text field past the field limit; a malformed body is a 400")
    func limits() async throws {
        try await withUploads { client, spool in
            var big = MultipartBody()
            big.field("title", "Big")
            big.file("file", filename: "big.bin", [UInt8](repeating: 1, count: 70 << 10))
            let (tooLarge, _) = try await post(client, big.finished)
            #expect(tooLarge == .contentTooLarge)
            var longField = MultipartBody()
            longField.field("title", String(repeating: "x", count: 200))
            #expect(try await post(client, longField.finished).status == .contentTooLarge)
            let truncated = ByteBuffer(string: "--\(MultipartBody.boundary)\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\nHol")
            #expect(try await post(client, truncated).status == .badRequest)
            let left = try FileManager.default.contentsOfDirectory(atPath: spool.path)
            #expect(left.isEmpty, "temporary files left: \(left)")
        }
    }

    @Test("a file of a type the route does not take is a 415")
    func mediaTypes() async throws {
        try await withUploads { client, spool in
            var text = MultipartBody()
            text.file("image", filename: "notes.txt", contentType: "text/plain", Array("hello".utf8))
            let (refused, json) = try await post(client, text.finished, to: "/uploads/image")
            #expect(refused == .unsupportedMediaType)
            #expect(json["detail"] == "Unsupported file type text/plain; expected image/*")
            var png = MultipartBody()
            png.file("image", filename: "dot.png", contentType: "image/png", [0x89, 0x50, 0x4e, 0x47])
            #expect(try await post(client, png.finished, to: "/uploads/image").status == .ok)
        }
    }

    @Test("a caller that a dependency turns away is answered before the body is read: no 400 for a malformed one")
    func dependenciesFirst() async throws {
        try await withUploads { client, spool in
            let truncated = ByteBuffer(
                string: "--\(MultipartBody.boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a\"\r\n\r\nab")
            let (refused, json) = try await post(client, truncated, to: "/uploads/private")
            #expect(refused == .unauthorized)
            #expect(json["detail"] == "Not authenticated")
            let headers: HTTPFields = [.contentType: MultipartBody.contentType, .authorization: "Bearer t"]
            let malformed = try await client.execute(uri: "/uploads/private", method: .post, headers: headers, body: truncated) {
                $0.status
            }
            #expect(malformed == .badRequest)
        }
    }

    @Test("the document shows a multipart body whose files are binary strings, as FastAPI's does")
    func document() throws {
        var api = TypedAPI(title: "Uploads", version: "1")
        api.include(UploadsRouter())
        let document = try JSONParser.parse(try api.openAPIJSON())
        let body = document["paths"]?["/uploads/"]?["post"]?["requestBody"]?["content"]?["multipart/form-data"]?["schema"]
        #expect(body == ["$ref": "#/components/schemas/Body_upload"])
        let schema = document["components"]?["schemas"]?["Body_upload"]
        #expect(schema?["properties"]?["file"] == ["type": "string", "format": "binary", "title": "File"])
        #expect(schema?["properties"]?["extras"]?["items"] == ["type": "string", "format": "binary"])
        #expect(schema?["required"] == ["title", "file"])
    }
}
