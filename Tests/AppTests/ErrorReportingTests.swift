import Foundation
import Hummingbird
import Logging
import Synchronization
import TestSupport
import Testing

@testable import App
@testable import TernAPI
@testable import TernSentry

/// A stand-in Sentry on a free loopback port, keeping the envelopes posted to it with their auth header.
private final class FakeSentry: Sendable {
    let port: Int
    private let received = Mutex<[(auth: String, lines: [JSONValue])]>([])

    private init(port: Int) { self.port = port }

    func envelopes(atLeast count: Int) async throws -> [(auth: String, lines: [JSONValue])] {
        for _ in 0..<400 {
            let envelopes = received.withLock { $0 }
            if envelopes.count >= count { return envelopes }
            try await Task.sleep(for: .milliseconds(50))
        }
        return received.withLock { $0 }
    }

    static func run(_ body: (FakeSentry) async throws -> Void) async throws {
        let holder = Mutex<FakeSentry?>(nil)
        let router = Router()
        router.post("/api/{project}/envelope/") { request, _ in
            let text = String(buffer: try await request.body.collect(upTo: 1 << 20))
            let lines = text.split(separator: "\n").compactMap { try? JSONParser.parse(String($0)) }
            let auth = request.headers[HTTPField.Name("X-Sentry-Auth")!] ?? ""
            holder.withLock { $0?.received.withLock { $0.append((auth, lines)) } }
            return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: "{}")))
        }
        try await withLoopbackServer(router) { port in
            let sentry = FakeSentry(port: port)
            holder.withLock { $0 = sentry }
            try await body(sentry)
        }
    }
}

@Suite("Error reporting to Sentry", .timeLimit(.minutes(3)))
struct ErrorReportingTests {
    @Test("SENTRY_DSN: an error that answers 500 is reported with its type, route and request id; a client's mistake is not")
    func reportsUnhandledErrors() async throws {
        try await FakeSentry.run { sentry in
            var overrides = DependencyOverrides()
            overrides.replace(HealthService.self) { _ in throw Boom() }
            let dsn = "http://public-key@127.0.0.1:\(sentry.port)/42"
            try await TestApp.run(.sqlite, environment: ["SENTRY_DSN": dsn], overrides: overrides) { client, _ in
                // First a client's mistake: were it reported, its envelope would come first (the
                // reports are sent one by one, in order).
                #expect(try await client.get("/items/").status == 401)
                let failed = try await client.request(.get, "/utils/readiness-check/", headers: [.requestID: "report-me-0123456789"])
                #expect(failed.status == 500)
                #expect(failed.json == ["detail": "Internal Server Error"])

                let envelopes = try await sentry.envelopes(atLeast: 1)
                #expect(envelopes.count == 1, "only the 500 is reported")
                let envelope = try #require(envelopes.first)
                #expect(envelope.auth.contains("sentry_key=public-key"))
                #expect(envelope.lines.count == 3)
                #expect(envelope.lines[0]["dsn"] == .string(dsn))
                #expect(envelope.lines[1]["type"] == "event")
                let event = envelope.lines[2]
                #expect(event["event_id"] == envelope.lines[0]["event_id"])
                #expect(event["exception"]?["values"]?[0]?["type"]?.stringValue?.hasSuffix("Boom") == true)
                #expect(event["transaction"] == "GET /api/v1/utils/readiness-check")
                #expect(event["request"]?["url"] == "/api/v1/utils/readiness-check/")
                #expect(event["tags"]?["request_id"] == "report-me-0123456789")
            }
        }
    }

    @Test("a SENTRY_DSN that is not one is refused, naming the setting; a DSN names its envelope endpoint")
    func dsn() throws {
        let error = #expect(throws: (any Error).self) {
            try Settings.load(environment: ["SENTRY_DSN": "not a dsn"], dotEnvPath: "/nonexistent")
        }
        #expect("\(error!)".contains("SENTRY_DSN: must be a Sentry DSN"))
        #expect(SentryDSN("https://key@o1.ingest.sentry.io/123")?.envelopeURL == "https://o1.ingest.sentry.io/api/123/envelope/")
        #expect(SentryDSN("http://key@localhost:9000/sentry/7")?.envelopeURL == "http://localhost:9000/sentry/api/7/envelope/")
        #expect(SentryDSN("https://o1.ingest.sentry.io/123") == nil, "a DSN without its key")
    }
}
