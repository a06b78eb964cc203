import HummingbirdTesting
import HummingbirdWSClient
import HummingbirdWSTesting
import Logging
import NIOCore
import NIOWebSocket
import TernAPI
import TestSupport

/// One side of a test's WebSocket conversation: JSON messages sent, and received in turn (Starlette's
/// `WebSocketTestSession`).
struct TestWebSocket {
    private let outbound: WebSocketOutboundWriter
    private var inbound: WebSocketInboundMessageStream.AsyncIterator

    fileprivate init(inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter) {
        self.outbound = outbound
        self.inbound = inbound.messages(maxSize: 1 << 20).makeAsyncIterator()
    }

    /// Sends `message` as a text message.
    func send(_ message: JSONValue) async throws {
        try await outbound.write(.text(message.jsonText))
    }

    /// Sends `text` as it is (malformed JSON, say).
    func send(text: String) async throws {
        try await outbound.write(.text(text))
    }

    /// The next message, parsed; `nil` once the server has closed.
    mutating func receive() async throws -> JSONValue? {
        switch try await inbound.next() {
        case .text(let text): return try JSONParser.parse(text)
        case .binary(let buffer): throw TestSetupError("a binary message: \(buffer.readableBytes) bytes")
        case nil: return nil
        }
    }

    /// Reads until the server closes.
    mutating func drain() async throws {
        while try await inbound.next() != nil {}
    }
}

extension TestClient {
    /// Opens a WebSocket at `path` under the API prefix, authenticated by `token` in the query, and
    /// runs `conversation` on it; returns how the server closed it. Needs the live transport
    /// (`TestApp.run(..., testing: .live)`): an upgrade needs a socket.
    @discardableResult
    func webSocket(
        _ path: String, token: String? = nil, _ conversation: @escaping @Sendable (inout TestWebSocket) async throws -> Void
    ) async throws -> WebSocketCloseFrame? {
        guard client.port != nil else { throw TestSetupError("WebSockets need a live server: TestApp.run(..., testing: .live)") }
        var logger = Logger(label: "test-websocket")
        logger.logLevel = .warning
        let query = token.map { "?token=\($0)" } ?? ""
        return try await client.ws(Self.apiPrefix + path + query, logger: logger) { inbound, outbound, _ in
            var socket = TestWebSocket(inbound: inbound, outbound: outbound)
            try await conversation(&socket)
        }
    }
}
