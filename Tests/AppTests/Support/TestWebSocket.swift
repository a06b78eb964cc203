import HummingbirdTesting
import TernAPI
import TestSupport

/// One side of a test's WebSocket conversation: JSON messages sent, and received in turn (Starlette's
/// `WebSocketTestSession`).
///
/// Over ``RawWebSocketClient``, not Hummingbird's client: that one sometimes loses a close frame that
/// arrives with the `101 Switching Protocols`, and a socket refused at once then waited forever.
struct TestWebSocket {
    fileprivate var session: RawWebSocketClient.Session

    /// Sends `message` as a text message.
    func send(_ message: JSONValue) async {
        await session.send(message.jsonText)
    }

    /// Sends `text` as it is (malformed JSON, say).
    func send(text: String) async {
        await session.send(text)
    }

    /// The next message, parsed; `nil` once the server has closed.
    mutating func receive() async throws -> JSONValue? {
        try await session.receive().map { try JSONParser.parse($0) }
    }

    /// Reads until the server closes.
    mutating func drain() async throws {
        while try await session.receive() != nil {}
    }
}

extension TestClient {
    /// Opens a WebSocket at `path` under the API prefix, authenticated by `token` in the query, and
    /// runs `conversation` on it; returns how the server closed it. Needs the live transport
    /// (`TestApp.run(..., testing: .live)`): an upgrade needs a socket.
    @discardableResult
    func webSocket(
        _ path: String, token: String? = nil, _ conversation: @Sendable (inout TestWebSocket) async throws -> Void
    ) async throws -> RawWebSocketClient.Close? {
        guard let port = client.port else { throw TestSetupError("WebSockets need a live server: TestApp.run(..., testing: .live)") }
        let query = token.map { "?token=\($0)" } ?? ""
        let (_, close) = try await RawWebSocketClient.connect(port: port, path: Self.apiPrefix + path + query) { session in
            var socket = TestWebSocket(session: session)
            try await conversation(&socket)
            session = socket.session
        }
        return close
    }
}
