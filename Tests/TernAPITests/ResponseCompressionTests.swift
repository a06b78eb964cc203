import CompressNIO
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

@testable import TernAPI

@Suite("gzip compression", .timeLimit(.minutes(2)))
struct ResponseCompressionTests {
    private static let text = String(repeating: "compressible text, ", count: 200)

    private func withApp(_ body: @escaping @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        let router = Router()
        router.add(middleware: ResponseCompressionMiddleware(minimumSize: 500))
        router.get("/text") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "text/plain", .eTag: "\"v1\""], body: .init(byteBuffer: ByteBuffer(string: Self.text)))
        }
        router.get("/small") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/plain"], body: .init(byteBuffer: ByteBuffer(string: "short")))
        }
        router.get("/png") { _, _ in
            Response(status: .ok, headers: [.contentType: "image/png"], body: .init(byteBuffer: ByteBuffer(string: Self.text)))
        }
        router.get("/events") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/event-stream"], body: .init(byteBuffer: ByteBuffer(string: Self.text)))
        }
        router.get("/stream") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "text/csv"],
                body: ResponseBody { writer in
                    for _ in 0..<3 { try await writer.write(ByteBuffer(string: Self.text)) }
                    try await writer.finish(nil)
                })
        }
        try await Application(router: router).test(.live, body)
    }

    private func gunzip(_ body: ByteBuffer) throws -> String {
        var body = body
        return String(buffer: try body.decompress(with: .gzip))
    }

    @Test("a large text answer is gzipped for a client that accepts it, its tag made weak; a streamed one too")
    func compressed() async throws {
        try await withApp { client in
            try await client.execute(uri: "/text", method: .get, headers: [.acceptEncoding: "br;q=1, gzip;q=0.8"]) { response in
                #expect(response.headers[.contentEncoding] == "gzip")
                #expect(response.headers[.vary] == "Accept-Encoding")
                #expect(response.headers[.eTag] == "W/\"v1\"")
                #expect(response.body.readableBytes < Self.text.utf8.count / 5)
                let text = try gunzip(response.body)
                #expect(text == Self.text)
            }
            try await client.execute(uri: "/stream", method: .get, headers: [.acceptEncoding: "*"]) { response in
                #expect(response.headers[.contentEncoding] == "gzip")
                let text = try gunzip(response.body)
                #expect(text == String(repeating: Self.text, count: 3))
            }
        }
    }

    @Test("left alone: clients that do not accept gzip, small answers, images, event streams")
    func uncompressed() async throws {
        try await withApp { client in
            for (path, acceptEncoding) in [
                ("/text", nil), ("/text", "gzip;q=0, *"), ("/text", "identity"), ("/small", "gzip"), ("/png", "gzip"), ("/events", "gzip"),
            ] {
                let headers: HTTPFields = acceptEncoding.map { [.acceptEncoding: $0] } ?? [:]
                try await client.execute(uri: path, method: .get, headers: headers) { response in
                    #expect(response.headers[.contentEncoding] == nil, "\(path) \(acceptEncoding ?? "-")")
                    #expect(String(buffer: response.body).hasPrefix("compressible") || path == "/small")
                }
            }
        }
    }
}
