import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Synchronization
import TernPrimitives
import TestSupport
import Testing

@testable import TernAPI

/// Request ids and the access log: every line of a request carries its id, which the client gets
/// back; one access line per request, without the query.
@Suite("Request ids and access logs")
struct RequestLoggingTests {
    private func run(_ body: @Sendable (any TestClientProtocol, LogRecorder) async throws -> Void) async throws {
        let recorder = LogRecorder()
        let router = Router()
        router.add(middleware: RequestIDMiddleware())
        router.add(middleware: AccessLogMiddleware())
        router.get("/items/{id}") { _, context in
            context.logger.info("reading an item")
            return "item"
        }
        router.get("/refused") { _, _ -> String in throw HTTPError(.forbidden) }
        let application = Application(router: router, logger: recorder.logger)
        try await application.test(.router) { client in try await body(client, recorder) }
    }

    @Test("a sane X-Request-ID is kept, anything else replaced by a new id; every line of the request carries it")
    func requestIDs() async throws {
        try await run { client, recorder in
            let kept = try await client.execute(uri: "/items/1", method: .get, headers: [.requestID: "edge-7f3a:42"]) { $0 }
            #expect(kept.headers[.requestID] == "edge-7f3a:42")
            let lines = recorder.entries
            #expect(lines.count == 2 && lines.allSatisfy { $0.metadata["request_id"] == "edge-7f3a:42" })

            for forged in ["has spaces in it", String(repeating: "a", count: 129), "ünïcode", ""] {
                let replaced = try await client.execute(uri: "/items/1", method: .get, headers: [.requestID: forged]) { $0 }
                let id = try #require(replaced.headers[.requestID])
                #expect(id != forged && id.count == 32 && id.allSatisfy(\.isHexDigit))
            }
            let first = try await client.execute(uri: "/items/1", method: .get) { $0.headers[.requestID] }
            let second = try await client.execute(uri: "/items/1", method: .get) { $0.headers[.requestID] }
            #expect(first != nil && first != second)
        }
    }

    @Test("new ids are 32 lowercase hex digits, never repeated within a process, different in another")
    func newIDs() {
        let ids = RequestIDs()
        let made = (0..<100_000).map { _ in ids.next() }
        #expect(Set(made).count == made.count)
        #expect(made.allSatisfy { $0.count == 32 && $0.allSatisfy { "0123456789abcdef".contains($0) } })
        #expect(RequestIDs().next() != RequestIDs().next())
    }

    @Test("one access line per request: method, path without the query, route, status, duration, even for errors")
    func accessLines() async throws {
        try await run { client, recorder in
            _ = try await client.execute(uri: "/items/42?token=secret", method: .get) { $0 }
            _ = try await client.execute(uri: "/refused", method: .get) { $0 }
            _ = try await client.execute(uri: "/nowhere", method: .get) { $0 }
            let access = recorder.entries.filter { $0.metadata["status"] != nil }
            #expect(access.count == 3)
            #expect(access[0].message == "GET /items/42 200")
            #expect(access[0].metadata["path"] == "/items/42" && access[0].metadata["route"] == "/items/{id}")
            #expect(access[0].metadata["method"] == "GET" && Double(access[0].metadata["duration_ms"] ?? "") != nil)
            #expect(!recorder.entries.contains { "\($0.message) \($0.metadata)".contains("secret") }, "the query is never logged")
            #expect(access[1].metadata["status"] == "403")
            #expect(access[2].metadata["status"] == "404")
        }
    }

    @Test("JSON log lines: one object per line, fields and metadata, escaped so nothing breaks out of the line")
    func jsonLines() throws {
        let lines = Mutex<[String]>([])
        var logger = Logger(label: "api") { label in JSONLogHandler(label: label) { line in lines.withLock { $0.append(line) } } }
        logger[metadataKey: "request_id"] = "abc"
        logger.warning(
            "a \"quoted\"\nsecond line\u{1}", metadata: ["status": "500", "nested": ["list": ["x", "y"]], "number": .stringConvertible(7)])
        let written = lines.withLock { $0 }
        #expect(written.count == 1 && written[0].hasSuffix("}\n") && written[0].filter { $0 == "\n" }.count == 1)
        let object = try JSONParser.parse(String(written[0].dropLast()))
        #expect(object["level"] == "warning" && object["label"] == "api" && object["message"] == "a \"quoted\"\nsecond line\u{1}")
        #expect(object["request_id"] == "abc" && object["status"] == "500" && object["number"] == "7")
        #expect(object["nested"] == ["list": ["x", "y"]])
        #expect(object["timestamp"]?.stringValue.flatMap(ISO8601Timestamp.parse) != nil)
    }

    @Test("text lines: StreamLogHandler's format with metadata kept aside, the logger's, then the provider's, then the line's")
    func lateMetadataLines() {
        let stream = RecordingStream()
        let provider = Logger.MetadataProvider { ["from": "provider", "provided": "yes"] }
        var logger = Logger(label: "api") { label in
            var stream = StreamLogHandler(label: label, stream: stream, metadataProvider: provider)
            stream[metadataKey: "app"] = "tern"
            return LateMetadataLogHandler(stream)
        }
        logger[metadataKey: "request_id"] = "abc"
        logger[metadataKey: "from"] = "logger"
        logger.info("first", metadata: ["status": "200"])
        logger.debug("below the level")
        logger[metadataKey: "request_id"] = nil
        logger.info("second", metadata: ["from": "line"])
        let lines = stream.lines
        #expect(lines.count == 2)
        #expect(lines[0].hasSuffix(" info api: app=tern from=provider provided=yes request_id=abc status=200 [TernAPITests] first"))
        #expect(lines[1].hasSuffix(" info api: app=tern from=line provided=yes [TernAPITests] second"))
    }
}

/// A text stream that keeps what a log handler writes, a line each.
private final class RecordingStream: TextOutputStream, Sendable {
    private let text = Mutex("")

    var lines: [String] { text.withLock { $0.split(separator: "\n").map(String.init) } }

    func write(_ string: String) {
        text.withLock { $0 += string }
    }
}
