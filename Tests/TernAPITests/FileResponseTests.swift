import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

@testable import TernAPI

@Input
struct CaughtFileInput {
    @Path var filePath: String
    @Depends var files: StaticFiles
}

extension StaticFiles: ContextDependency {
    public static func resolve(from files: StaticFiles, in scope: RequestScope) async throws -> StaticFiles { files }
}

@APIRouter(prefix: "/files")
struct CaughtFilesRouter {
    @GET("/{file_path:path}")
    func file(_ input: CaughtFileInput) throws -> FileResponse {
        try input.files.file(at: input.filePath)
    }
}

@Suite("Files: static folders, ranges and conditional requests", .timeLimit(.minutes(2)))
struct FileResponseTests {
    /// A folder with a text file, a stylesheet in a subfolder, a hidden file and a link out of it.
    private static func folder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tern-files-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("css"), withIntermediateDirectories: true)
        try Data("0123456789".utf8).write(to: folder.appendingPathComponent("hello.txt"))
        try Data("body { color: red }".utf8).write(to: folder.appendingPathComponent("css/site.css"))
        try Data("SECRET_KEY=x".utf8).write(to: folder.appendingPathComponent(".env"))
        try FileManager.default.createSymbolicLink(
            atPath: folder.appendingPathComponent("escape").path, withDestinationPath: "/etc/hostname")
        return folder
    }

    private func withFiles(_ body: @escaping @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let files = StaticFiles(directory: folder.path)
        var api = TypedAPI(title: "Files", version: "1", context: files)
        api.include(CaughtFilesRouter())
        let router = Router()
        try api.install(on: router)
        router.mount(files, at: "/static")
        try await Application(router: router).test(.router, body)
    }

    private func get(
        _ client: any TestClientProtocol, _ path: String, _ headers: HTTPFields = [:]
    ) async throws -> (
        status: HTTPResponse.Status, headers: HTTPFields, body: String
    ) {
        try await client.execute(uri: path, method: .get, headers: headers) { ($0.status, $0.headers, String(buffer: $0.body)) }
    }

    @Test("a file with its type, length, validators and caching headers")
    func whole() async throws {
        try await withFiles { client in
            let file = try await get(client, "/static/hello.txt")
            #expect(file.status == .ok)
            #expect(file.body == "0123456789")
            #expect(file.headers[.contentType] == "text/plain; charset=utf-8")
            #expect(file.headers[.contentLength] == "10")
            #expect(file.headers[.acceptRanges] == "bytes")
            #expect(file.headers[.cacheControl] == "public, max-age=3600")
            #expect(file.headers[.eTag]?.hasPrefix("\"a-") == true)
            #expect(file.headers[.lastModified]?.hasSuffix(" GMT") == true)
            let css = try await get(client, "/static/css/site.css")
            #expect(css.status == .ok)
            #expect(css.headers[.contentType] == "text/css; charset=utf-8")
        }
    }

    @Test("304 for a client that holds the version: If-None-Match first, else If-Modified-Since")
    func notModified() async throws {
        try await withFiles { client in
            let file = try await get(client, "/static/hello.txt")
            let tag = try #require(file.headers[.eTag])
            let modified = try #require(file.headers[.lastModified])
            for headers: HTTPFields in [[.ifNoneMatch: tag], [.ifNoneMatch: "\"other\", W/\(tag)"], [.ifModifiedSince: modified]] {
                let cached = try await get(client, "/static/hello.txt", headers)
                #expect(cached.status == .notModified, "\(headers)")
                #expect(cached.body.isEmpty)
                #expect(cached.headers[.eTag] == tag)
            }
            let changed = try await get(client, "/static/hello.txt", [.ifNoneMatch: "\"other\"", .ifModifiedSince: modified])
            #expect(changed.status == .ok, "If-None-Match decides when both are sent")
            let older = try await get(client, "/static/hello.txt", [.ifModifiedSince: "Sun, 06 Nov 1994 08:49:37 GMT"])
            #expect(older.status == .ok)
        }
    }

    @Test("one byte range: first-last, first-, -suffix; several ranges get the whole file; past the end 416")
    func ranges() async throws {
        try await withFiles { client in
            for (range, body, contentRange) in [
                ("bytes=2-4", "234", "bytes 2-4/10"), ("bytes=7-", "789", "bytes 7-9/10"), ("bytes=-3", "789", "bytes 7-9/10"),
                ("bytes=8-100", "89", "bytes 8-9/10"), ("bytes=-100", "0123456789", "bytes 0-9/10"),
            ] {
                let part = try await get(client, "/static/hello.txt", [.range: range])
                #expect(part.status == .partialContent, "\(range)")
                #expect(part.body == body, "\(range)")
                #expect(part.headers[.contentRange] == contentRange, "\(range)")
                #expect(part.headers[.contentLength] == String(body.count), "\(range)")
            }
            for ignored in ["bytes=1-2,4-5", "items=1-2", "bytes=5-2", "bytes=x-"] {
                let whole = try await get(client, "/static/hello.txt", [.range: ignored])
                #expect(whole.status == .ok, "\(ignored)")
                #expect(whole.body == "0123456789", "\(ignored)")
            }
            let past = try await get(client, "/static/hello.txt", [.range: "bytes=10-"])
            #expect(past.status == .rangeNotSatisfiable)
            #expect(past.headers[.contentRange] == "bytes */10")
        }
    }

    @Test("If-Range: the range only for the same version (a strong tag, or the exact date)")
    func ifRange() async throws {
        try await withFiles { client in
            let file = try await get(client, "/static/hello.txt")
            let tag = try #require(file.headers[.eTag])
            let modified = try #require(file.headers[.lastModified])
            #expect(try await get(client, "/static/hello.txt", [.range: "bytes=0-1", .ifRange: tag]).status == .partialContent)
            #expect(try await get(client, "/static/hello.txt", [.range: "bytes=0-1", .ifRange: modified]).status == .partialContent)
            let stale = try await get(client, "/static/hello.txt", [.range: "bytes=0-1", .ifRange: "\"an-old-version\""])
            #expect(stale.status == .ok)
            #expect(stale.body == "0123456789")
            #expect(try await get(client, "/static/hello.txt", [.range: "bytes=0-1", .ifRange: "W/\(tag)"]).status == .ok)
        }
    }

    @Test("only regular files inside the folder: no hidden files, no way out, no folders")
    func confined() async throws {
        try await withFiles { client in
            for path in [
                "/static/.env", "/static/css/../.env", "/static/%2e%2e/%2e%2e/etc/hostname", "/static/escape", "/static/css",
                "/static/missing.txt", "/files/.env", "/files/..%2F..%2Fetc%2Fhostname",
            ] {
                let refused = try await get(client, path)
                #expect(refused.status == .notFound, "\(path)")
                #expect(!refused.body.contains("SECRET_KEY"), "\(path)")
            }
        }
    }

    @Test("a catch-all path parameter takes the rest of the path, slashes included, and is documented as {file_path}")
    func catchAll() async throws {
        try await withFiles { client in
            let css = try await get(client, "/files/css/site.css")
            #expect(css.status == .ok)
            #expect(css.body == "body { color: red }")
        }
        var api = TypedAPI(title: "Files", version: "1", context: StaticFiles(directory: "."))
        api.include(CaughtFilesRouter())
        let document = try JSONParser.parse(api.openAPIJSON())
        let operation = document["paths"]?["/files/{file_path}"]?["get"]
        #expect(operation?["parameters"]?[0]?["name"] == "file_path")
        #expect(operation?["parameters"]?[0]?["in"] == "path")
        #expect(operation?["responses"]?["200"]?["content"]?["application/octet-stream"] != nil)
    }
}
