import Foundation
import Hummingbird
import Logging
import Synchronization
import TestSupport
import Testing

/// A span as an OTLP/HTTP collector receives it (JSON encoding): ids as sent, attributes as text.
struct CollectedSpan: Sendable {
    let name: String
    let traceID: String
    let spanID: String
    let parentSpanID: String
    let attributes: [String: String]

    /// The spans of an `ExportTraceServiceRequest` in OTLP's JSON encoding.
    static func all(in body: Data) -> [CollectedSpan] {
        guard let request = try? JSONSerialization.jsonObject(with: body) as? [String: Any] else { return [] }
        let resources = request["resourceSpans"] as? [[String: Any]] ?? []
        let scopes = resources.flatMap { $0["scopeSpans"] as? [[String: Any]] ?? [] }
        return scopes.flatMap { $0["spans"] as? [[String: Any]] ?? [] }.map { span in
            var attributes: [String: String] = [:]
            for attribute in span["attributes"] as? [[String: Any]] ?? [] {
                guard let key = attribute["key"] as? String, let value = attribute["value"] as? [String: Any] else { continue }
                attributes[key] = value.values.first.map { "\($0)" }
            }
            return CollectedSpan(
                name: span["name"] as? String ?? "", traceID: hex(span["traceId"]), spanID: hex(span["spanId"]),
                parentSpanID: hex(span["parentSpanId"]), attributes: attributes)
        }
    }

    /// OTLP's JSON writes ids in hex; protobuf's JSON mapping would write bytes in base64: either reads.
    private static func hex(_ value: Any?) -> String {
        guard let text = value as? String, !text.isEmpty else { return "" }
        if text.count % 2 == 0, text.allSatisfy(\.isHexDigit) { return text.lowercased() }
        guard let bytes = Data(base64Encoded: text) else { return text }
        return bytes.map { String(format: "%02x", $0) }.joined()
    }
}

/// An OpenTelemetry collector on a free loopback port, keeping the spans posted to `/v1/traces`.
final class SpanCollector: Sendable {
    let url: String
    private let received = Mutex<[CollectedSpan]>([])

    private init(url: String) { self.url = url }

    /// The spans received so far, once `condition` holds of them (or after `seconds`).
    func spans(within seconds: Double = 20, until condition: ([CollectedSpan]) -> Bool) async throws -> [CollectedSpan] {
        let deadline = ContinuousClock.now + .seconds(seconds)
        while ContinuousClock.now < deadline {
            let spans = received.withLock { $0 }
            if condition(spans) { return spans }
            try await Task.sleep(for: .milliseconds(50))
        }
        return received.withLock { $0 }
    }

    static func run(_ body: (SpanCollector) async throws -> Void) async throws {
        let holder = Mutex<SpanCollector?>(nil)
        let router = Router()
        router.post("/v1/traces") { request, _ in
            let body = try await request.body.collect(upTo: 16 << 20)
            let spans = CollectedSpan.all(in: Data(body.readableBytesView))
            holder.withLock { $0?.received.withLock { $0 += spans } }
            return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: "{}")))
        }
        try await withLoopbackServer(router) { port in
            let collector = SpanCollector(url: "http://127.0.0.1:\(port)")
            holder.withLock { $0 = collector }
            try await body(collector)
        }
    }
}

@Suite("OpenTelemetry traces of api serve", .timeLimit(.minutes(3)))
struct TracingTests {
    @Test("with OTEL_EXPORTER_OTLP_ENDPOINT, a request's span continues the caller's trace and holds its SQL and Redis spans")
    func requestSpans() async throws {
        try await SpanCollector.run { collector in
            let api = try APIProcess(environment: [
                "OTEL_EXPORTER_OTLP_ENDPOINT": collector.url, "OTEL_EXPORTER_OTLP_PROTOCOL": "http/json",
                "OTEL_BSP_SCHEDULE_DELAY": "100", "REDIS_URL": try RedisTestServer.sharedURL(),
            ])
            defer { api.delete() }
            #expect(try await api.run(["migrate"]).status == 0)
            let traceID = "4bf92f3577b34da6a3ce929d0e0e4736"
            let result = try await api.serve { server in
                let answer = try await get(
                    "\(server.baseURL)/api/v1/utils/readiness-check/", headers: [("traceparent", "00-\(traceID)-00f067aa0ba902b7-01")])
                #expect(answer.status == 200)
                let spans = try await collector.spans { spans in
                    let trace = spans.filter { $0.traceID == traceID }
                    return trace.contains { $0.parentSpanID == "00f067aa0ba902b7" }
                        && trace.contains { $0.attributes["db.system.name"] == "sqlite" }
                        && trace.contains { $0.attributes["db.system.name"] == "redis" }
                }
                let trace = spans.filter { $0.traceID == traceID }
                let request = try #require(trace.first { $0.parentSpanID == "00f067aa0ba902b7" }, "\(spans)")
                #expect(request.name == "/api/v1/utils/readiness-check")
                #expect(request.attributes["http.response.status_code"] == "200")
                let statement = try #require(trace.first { $0.attributes["db.system.name"] == "sqlite" }, "\(trace)")
                #expect(statement.parentSpanID == request.spanID)
                #expect(statement.name == "SELECT")
                #expect(statement.attributes["db.query.text"]?.hasPrefix("SELECT") == true)
                // The rate limit's script, on the Redis every process shares.
                let redis = try #require(trace.first { $0.attributes["db.system.name"] == "redis" }, "\(trace)")
                #expect(redis.parentSpanID == request.spanID)
                #expect(redis.name == "EVALSHA")
            }
            #expect(result.status == 0, "\(result.errorOutput)")
        }
    }

    @Test("the current user and their live sessions are read in one statement: one SELECT span, with its text")
    func userAndSessionsSpan() async throws {
        try await SpanCollector.run { collector in
            let api = try APIProcess(environment: [
                "OTEL_EXPORTER_OTLP_ENDPOINT": collector.url, "OTEL_EXPORTER_OTLP_PROTOCOL": "http/json",
                "OTEL_BSP_SCHEDULE_DELAY": "100", "FIRST_SUPERUSER_PASSWORD": "first-password",
            ])
            defer { api.delete() }
            #expect(try await api.run(["migrate"]).status == 0)
            let traceID = "5bf92f3577b34da6a3ce929d0e0e4737"
            let result = try await api.serve { server in
                let login = try await post(
                    "\(server.baseURL)/api/v1/login/access-token", form: "username=admin%40example.com&password=first-password")
                let token = try #require(login.json["access_token"] as? String, "\(login.body)")
                let me = try await get(
                    "\(server.baseURL)/api/v1/users/me",
                    headers: [("Authorization", "Bearer \(token)"), ("traceparent", "00-\(traceID)-00f067aa0ba902b7-01")])
                #expect(me.status == 200, "\(me.body)")
                let isStatement = { (span: CollectedSpan) in span.traceID == traceID && span.attributes["db.query.text"] != nil }
                let spans = try await collector.spans { $0.contains(where: isStatement) }
                let statements = spans.filter(isStatement)
                #expect(statements.count == 1, "\(spans)")
                let statement = try #require(statements.first)
                #expect(statement.name == "SELECT")
                #expect(statement.attributes["db.operation.batch.size"] == nil)
                #expect(statement.attributes["db.query.text"]?.contains(#"FROM "user""#) == true)
                #expect(statement.attributes["db.query.text"]?.contains("FROM auth_session") == true)
            }
            #expect(result.status == 0, "\(result.errorOutput)")
        }
    }
}
