import AsyncHTTPClient
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import NIOHTTP1
import Synchronization
import Testing

@testable import TernAPI

/// Holds a stream back until the test has read what came before: proof that the start of an
/// answer reaches the client before its end exists.
final class StreamGate: Sendable {
    private let opened = Mutex(false)

    func open() { opened.withLock { $0 = true } }

    func wait() async throws {
        for _ in 0..<1000 where !opened.withLock({ $0 }) { try await Task.sleep(for: .milliseconds(10)) }
        guard opened.withLock({ $0 }) else { throw APIError(.internalServerError, "the test never opened the gate") }
    }
}

extension StreamGate: ContextDependency {
    static func resolve(from gate: StreamGate, in scope: RequestScope) async throws -> StreamGate { gate }
}

@Input
struct GatedInput {
    @Depends var gate: StreamGate
}

@Schema
struct Line {
    var n: Int
    var text: String
}

@APIRouter(prefix: "/stream")
struct StreamingRouter {
    @GET("/csv")
    func csv(_ input: GatedInput) async throws -> CSVResponse {
        CSVResponse(filename: "données.csv", header: ["n", "text"]) { csv in
            try await csv.writeRow(["1", "plain"])
            try await csv.writeRow(["2", "with, comma"])
            try await csv.writeRow(["3", "with \"quotes\""])
            try await csv.writeRow(["4", "two\nlines"])
            try await csv.writeRow(["5", nil])
            try await csv.flush()
            try await input.gate.wait()
            for n in 6...3000 { try await csv.writeRow(["\(n)", String(repeating: "x", count: 20)]) }
        }
    }

    @GET("/lines")
    func lines(_ input: GatedInput) async throws -> JSONLinesResponse<Line> {
        JSONLinesResponse { lines in
            try await lines.write(Line(n: 1, text: "first"))
            try await lines.flush()
            try await input.gate.wait()
            try await lines.write(Line(n: 2, text: "second\nwith a line break"))
        }
    }

    @GET("/ticking")
    func ticking(_ input: GatedInput) async throws -> EventStreamResponse {
        let (events, continuation) = AsyncStream<ServerSentEvent>.makeStream()
        continuation.yield(ServerSentEvent(data: "first"))
        Task {
            try await input.gate.wait()
            continuation.yield(ServerSentEvent(data: "last"))
            continuation.finish()
        }
        return EventStreamResponse(events: events, keepAlive: .milliseconds(50))
    }

    @GET("/events")
    func events(_ input: GatedInput) async throws -> EventStreamResponse {
        EventStreamResponse { events in
            try await events.send(ServerSentEvent(event: "greeting", data: "hello", id: "1"))
            try await input.gate.wait()
            try await events.keepAlive()
            try await events.send(ServerSentEvent(data: "two\nlines", id: "2\nforged: field"))
        }
    }
}

@Suite("Streamed responses", .timeLimit(.minutes(2)))
struct StreamingResponseTests {
    /// Runs `body` against a live server of the streaming router.
    private func withServer(_ body: @escaping @Sendable (Int, StreamGate) async throws -> Void) async throws {
        let gate = StreamGate()
        var api = TypedAPI(title: "Streams", version: "1", context: gate)
        api.include(StreamingRouter())
        let router = Router()
        try api.install(on: router)
        try await Application(router: router).test(.live) { client in
            try await body(try #require(client.port), gate)
        }
    }

    /// The answer's head and its body piece by piece: the first piece is read before the gate
    /// opens, the rest after.
    private func read(_ path: String, port: Int, gate: StreamGate) async throws -> (head: HTTPClientResponse, first: String, all: String) {
        let response = try await HTTPClient.shared.execute(HTTPClientRequest(url: "http://127.0.0.1:\(port)\(path)"), timeout: .seconds(30))
        var iterator = response.body.makeAsyncIterator()
        let firstPiece = try #require(try await iterator.next())
        let first = String(buffer: firstPiece)
        gate.open()
        var all = first
        while let piece = try await iterator.next() { all += String(buffer: piece) }
        return (response, first, all)
    }

    @Test("CSV: quoted where needed, CRLF line ends, a download name, the first rows out before the rest exist")
    func csv() async throws {
        try await withServer { port, gate in
            let (head, first, all) = try await read("/stream/csv", port: port, gate: gate)
            #expect(head.status == .ok)
            #expect(head.headers["content-type"].first == "text/csv; charset=utf-8")
            #expect(
                head.headers["content-disposition"].first
                    == "attachment; filename=\"donn_es.csv\"; filename*=UTF-8''donn%C3%A9es.csv")
            #expect(first.hasPrefix("n,text\r\n1,plain\r\n"))
            #expect(!first.contains("3000,"))
            let expected = "n,text\r\n1,plain\r\n2,\"with, comma\"\r\n3,\"with \"\"quotes\"\"\"\r\n4,\"two\nlines\"\r\n5,\r\n6,"
            #expect(all.hasPrefix(expected))
            #expect(all.hasSuffix("3000,\(String(repeating: "x", count: 20))\r\n"))
            #expect(all.components(separatedBy: "\r\n").count == 3002)
        }
    }

    @Test("JSON Lines: one value per line, the first out before the second exists")
    func jsonLines() async throws {
        try await withServer { port, gate in
            let (head, first, all) = try await read("/stream/lines", port: port, gate: gate)
            #expect(head.headers["content-type"].first == "application/jsonl")
            #expect(first == "{\"n\":1,\"text\":\"first\"}\n")
            #expect(all == "{\"n\":1,\"text\":\"first\"}\n{\"n\":2,\"text\":\"second\\nwith a line break\"}\n")
        }
    }

    @Test("Server-Sent Events: each event sent at once, multi-line data as several fields, no forged fields")
    func events() async throws {
        try await withServer { port, gate in
            let (head, first, all) = try await read("/stream/events", port: port, gate: gate)
            #expect(head.headers["content-type"].first == "text/event-stream")
            #expect(head.headers["cache-control"].first == "no-cache")
            #expect(head.headers["x-accel-buffering"].first == "no")
            #expect(first == "event: greeting\nid: 1\ndata: hello\n\n")
            #expect(all == first + ": keep-alive\n\nid: 2forged: field\ndata: two\ndata: lines\n\n")
        }
    }

    @Test("events from a sequence, with keep-alive comments while it is quiet; the stream ends with the sequence")
    func sequenceWithKeepAlive() async throws {
        try await withServer { port, gate in
            let response = try await HTTPClient.shared.execute(
                HTTPClientRequest(url: "http://127.0.0.1:\(port)/stream/ticking"), timeout: .seconds(30))
            var received = ""
            for try await piece in response.body {
                received += String(buffer: piece)
                if received.components(separatedBy: ": keep-alive").count > 3 { gate.open() }
            }
            #expect(received.hasPrefix("data: first\n\n: keep-alive\n\n"))
            #expect(received.hasSuffix("data: last\n\n"))
        }
    }

    @Test("the docs name each stream's media type, JSON Lines with the schema of a line")
    func documented() throws {
        var api = TypedAPI(title: "Streams", version: "1", context: StreamGate())
        api.include(StreamingRouter())
        let document = try JSONParser.parse(api.openAPIJSON())
        let content = { (path: String) in document["paths"]?[path]?["get"]?["responses"]?["200"]?["content"] }
        #expect(content("/stream/csv")?.objectValue?.keys == ["text/csv"])
        #expect(content("/stream/events")?.objectValue?.keys == ["text/event-stream"])
        #expect(content("/stream/lines")?["application/jsonl"]?["schema"]?["$ref"] == "#/components/schemas/Line")
    }
}
