import Foundation
import Hummingbird
import HummingbirdCore
import HummingbirdTesting
import Logging
import NIOCore
import NIOPosix
import Synchronization
import Testing

@testable import TernAPI

/// Lets a test hold requests in the handler until it says so.
private final class Gate: Sendable {
    private let (opened, open) = AsyncStream.makeStream(of: Void.self)
    let entered = Atomic<Int>(0)
    let bodiesRead = Atomic<Int>(0)

    func wait() async {
        entered.wrappingAdd(1, ordering: .relaxed)
        for await _ in opened { return }
    }

    func release() {
        open.finish()
    }
}

/// The two servers that enforce the limits: plain HTTP/1.1, and one whose requests may become WebSockets.
enum LimitedServer: CaseIterable, CustomTestStringConvertible {
    case http1, http1WebSocketUpgrade

    func builder(_ limits: HTTPServerLimits) -> HTTPServerBuilder {
        switch self {
        case .http1: .http1(limits: limits)
        case .http1WebSocketUpgrade:
            .http1WebSocketUpgrade(
                limits: limits, webSocketRouter: Router(context: APIWebSocketRequestContext.self), webSocket: WebSocketLimits())
        }
    }

    var testDescription: String { self == .http1 ? "HTTP/1.1" : "HTTP/1.1 with WebSocket upgrades" }
}

/// An application served with `limits`: `GET /ok`, `GET /held` (waits for the gate), `POST /echo`.
private func limitedApplication(
    _ limits: HTTPServerLimits, gate: Gate = Gate(), server: LimitedServer = .http1
) -> some ApplicationProtocol {
    let router = Router()
    router.add(middleware: ConcurrentRequestLimitMiddleware(maxConcurrentRequests: limits.maxConcurrentRequests))
    router.get("/ok") { _, _ in "ok" }
    router.get("/held") { _, _ in
        await gate.wait()
        return "released"
    }
    router.post("/echo") { request, _ in
        let body = try await request.body.collect(upTo: 1 << 20)
        gate.bodiesRead.wrappingAdd(1, ordering: .relaxed)
        return String(buffer: body)
    }
    var logger = Logger(label: "limits")
    logger.logLevel = .warning
    return Application(router: router, server: server.builder(limits), logger: logger)
}

/// A plain TCP connection to the server under test: sends exactly the bytes a test chooses, when it
/// chooses, and reads what comes back until the server closes.
private func withConnection<T: Sendable>(
    port: Int, _ body: (NIOAsyncChannelInboundStream<ByteBuffer>, NIOAsyncChannelOutboundWriter<ByteBuffer>) async throws -> T
) async throws -> T {
    let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
        .connect(host: "127.0.0.1", port: port) { channel in
            channel.eventLoop.makeCompletedFuture {
                try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
            }
        }
    return try await channel.executeThenClose { inbound, outbound in try await body(inbound, outbound) }
}

extension NIOAsyncChannelInboundStream<ByteBuffer> {
    /// Everything the server sends until it closes the connection.
    func untilClosed() async throws -> String {
        var text = ""
        for try await buffer in self { text += String(buffer: buffer) }
        return text
    }

    /// One response with a `Content-Length`, leaving the connection open.
    func response() async throws -> String {
        var text = ""
        for try await buffer in self {
            text += String(buffer: buffer)
            guard let headEnd = text.range(of: "\r\n\r\n") else { continue }
            let head = text[..<headEnd.lowerBound].lowercased()
            let length =
                head.split(separator: "\r\n").first { $0.hasPrefix("content-length:") }
                .flatMap { Int($0.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)) } ?? 0
            if text.utf8.count - text[..<headEnd.upperBound].utf8.count >= length { return text }
        }
        return text
    }
}

@Suite("HTTP server limits", .timeLimit(.minutes(2)))
struct ServerLimitsTests {
    @Test("a request whose head trickles in a byte at a time gets 408 at the read deadline", arguments: LimitedServer.allCases)
    func slowHead(server: LimitedServer) async throws {
        let limits = HTTPServerLimits(idleTimeout: .seconds(30), readTimeout: .milliseconds(400))
        try await limitedApplication(limits, server: server).test(.live) { client in
            let answer = try await withConnection(port: try #require(client.port)) { inbound, outbound in
                let trickle = Task {
                    // One byte every 50 ms: each resets an idle timer, none completes the head.
                    for byte in "GET /ok HTTP/1.1\r\nHost: localhost\r\nX-Padding: ".utf8 + Array(repeating: UInt8(ascii: "a"), count: 200)
                    {
                        try await outbound.write(ByteBuffer(bytes: [byte]))
                        try await Task.sleep(for: .milliseconds(50))
                    }
                }
                defer { trickle.cancel() }
                return try await inbound.untilClosed()
            }
            #expect(answer.hasPrefix("HTTP/1.1 408 Request Timeout\r\n"), "\(answer)")
            #expect(answer.hasSuffix(#"{"detail":"Request Timeout"}"#))
            #expect(answer.lowercased().contains("connection: close"))
        }
    }

    @Test("a body that trickles in gets 408 at the read deadline, and the handler never sees it whole", arguments: LimitedServer.allCases)
    func slowBody(server: LimitedServer) async throws {
        let gate = Gate()
        let limits = HTTPServerLimits(idleTimeout: .seconds(30), readTimeout: .milliseconds(400))
        try await limitedApplication(limits, gate: gate, server: server).test(.live) { client in
            let answer = try await withConnection(port: try #require(client.port)) { inbound, outbound in
                try await outbound.write(ByteBuffer(string: "POST /echo HTTP/1.1\r\nHost: localhost\r\nContent-Length: 100\r\n\r\n"))
                let trickle = Task {
                    for _ in 0..<100 {
                        try await outbound.write(ByteBuffer(string: "x"))
                        try await Task.sleep(for: .milliseconds(50))
                    }
                }
                defer { trickle.cancel() }
                return try await inbound.untilClosed()
            }
            #expect(answer.hasPrefix("HTTP/1.1 408 Request Timeout\r\n"), "\(answer)")
            #expect(gate.bodiesRead.load(ordering: .relaxed) == 0)
        }
    }

    @Test("a body that keeps coming at the minimum rate gets the time it needs, past the read timeout", arguments: LimitedServer.allCases)
    func steadyBody(server: LimitedServer) async throws {
        let limits = HTTPServerLimits(idleTimeout: .seconds(30), readTimeout: .milliseconds(300), minimumBodyRate: 10)
        try await limitedApplication(limits, server: server).test(.live) { client in
            let answer = try await withConnection(port: try #require(client.port)) { inbound, outbound in
                let chunk = String(repeating: "x", count: 100)
                // The head comes with the first 100 bytes, which earn 10 s: a loaded machine that
                // delays the client's next write by more than the read timeout does not fail the test.
                try await outbound.write(
                    ByteBuffer(string: "POST /echo HTTP/1.1\r\nHost: localhost\r\nContent-Length: 1000\r\n\r\n" + chunk))
                // The other 900 bytes over at least 450 ms, past the read timeout.
                for _ in 1..<10 {
                    try await Task.sleep(for: .milliseconds(50))
                    try await outbound.write(ByteBuffer(string: chunk))
                }
                return try await inbound.response()
            }
            #expect(answer.hasPrefix("HTTP/1.1 200 OK\r\n"), "\(answer.prefix(200))")
            #expect(answer.hasSuffix(String(repeating: "x", count: 1000)))
        }
    }

    @Test("requests that arrive in time are served, over several requests on one connection", arguments: LimitedServer.allCases)
    func promptRequests(server: LimitedServer) async throws {
        let limits = HTTPServerLimits(idleTimeout: .seconds(30), readTimeout: .milliseconds(300))
        try await limitedApplication(limits, server: server).test(.live) { client in
            try await withConnection(port: try #require(client.port)) { inbound, outbound in
                var responses = inbound.makeAsyncIterator()
                for _ in 0..<3 {
                    try await outbound.write(ByteBuffer(string: "POST /echo HTTP/1.1\r\nHost: localhost\r\nContent-Length: 5\r\n\r\nhello"))
                    var text = ""
                    while !text.hasSuffix("hello"), let buffer = try await responses.next() { text += String(buffer: buffer) }
                    #expect(text.hasPrefix("HTTP/1.1 200 OK\r\n"))
                    // Idle between requests for longer than the read deadline: only the idle timeout applies.
                    try await Task.sleep(for: .milliseconds(400))
                }
            }
        }
    }

    @Test("a connection that never sends a request is closed after the idle timeout", arguments: LimitedServer.allCases)
    func silentConnection(server: LimitedServer) async throws {
        let limits = HTTPServerLimits(idleTimeout: .milliseconds(300), readTimeout: .seconds(30))
        try await limitedApplication(limits, server: server).test(.live) { client in
            let answer = try await withConnection(port: try #require(client.port)) { inbound, _ in try await inbound.untilClosed() }
            #expect(answer.isEmpty)
        }
    }

    @Test(
        "a connection past the maximum gets 503 with Retry-After, and the next one after a close is served",
        arguments: LimitedServer.allCases)
    func connectionLimit(server: LimitedServer) async throws {
        let limits = HTTPServerLimits(maxConnections: 2)
        try await limitedApplication(limits, server: server).test(.live) { client in
            let port = try #require(client.port)
            let (holdersReady, holderReady) = AsyncStream.makeStream(of: Void.self)
            let (release, releaseHolders) = AsyncStream.makeStream(of: Void.self)
            let holders = Task {
                try await withConnection(port: port) { firstIn, firstOut in
                    try await firstOut.write(ByteBuffer(string: "GET /ok HTTP/1.1\r\nHost: localhost\r\n\r\n"))
                    _ = try await firstIn.response()
                    try await withConnection(port: port) { secondIn, secondOut in
                        try await secondOut.write(ByteBuffer(string: "GET /ok HTTP/1.1\r\nHost: localhost\r\n\r\n"))
                        _ = try await secondIn.response()
                        holderReady.yield()
                        for await _ in release { break }
                    }
                }
            }
            for await _ in holdersReady { break }
            let refused = try await withConnection(port: port) { inbound, outbound in
                try await outbound.write(ByteBuffer(string: "GET /ok HTTP/1.1\r\nHost: localhost\r\n\r\n"))
                return try await inbound.untilClosed()
            }
            #expect(refused.hasPrefix("HTTP/1.1 503 Service Unavailable\r\n"), "\(refused)")
            #expect(refused.lowercased().contains("retry-after: 1"))
            releaseHolders.finish()
            try await holders.value
            // The two held connections are gone; a new one is served (retrying while they close).
            var served = ""
            for _ in 0..<50 where !served.hasPrefix("HTTP/1.1 200") {
                served = try await withConnection(port: port) { inbound, outbound in
                    try await outbound.write(ByteBuffer(string: "GET /ok HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"))
                    return try await inbound.untilClosed()
                }
                try await Task.sleep(for: .milliseconds(20))
            }
            #expect(served.hasPrefix("HTTP/1.1 200 OK\r\n"), "\(served)")
        }
    }

    @Test("a request past the concurrency limit gets 503 with Retry-After at once")
    func concurrentRequestLimit() async throws {
        let gate = Gate()
        let limits = HTTPServerLimits(maxConcurrentRequests: 1)
        try await limitedApplication(limits, gate: gate).test(.live) { client in
            let port = try #require(client.port)
            async let held = withConnection(port: port) { inbound, outbound in
                try await outbound.write(ByteBuffer(string: "GET /held HTTP/1.1\r\nHost: localhost\r\n\r\n"))
                return try await inbound.response()
            }
            while gate.entered.load(ordering: .relaxed) == 0 { try await Task.sleep(for: .milliseconds(10)) }
            let refused = try await withConnection(port: port) { inbound, outbound in
                try await outbound.write(ByteBuffer(string: "GET /ok HTTP/1.1\r\nHost: localhost\r\n\r\n"))
                return try await inbound.response()
            }
            #expect(refused.hasPrefix("HTTP/1.1 503 Service Unavailable\r\n"), "\(refused)")
            #expect(refused.lowercased().contains("retry-after: 1"))
            #expect(refused.hasSuffix(#"{"detail":"Service Unavailable"}"#))
            gate.release()
            #expect(try await held.hasPrefix("HTTP/1.1 200 OK\r\n"))
        }
    }
}
