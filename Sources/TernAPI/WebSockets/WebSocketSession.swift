import HummingbirdWebSocket
import Logging
import NIOWebSocket

/// An open WebSocket of a ``WebSocketRoute``: the client's messages, validated as `Incoming`, and
/// `Outgoing` messages to send it.
///
/// A message that fails validation closes the socket with 1008 (Policy Violation), as FastAPI's
/// `WebSocketException` does, its reason naming the first problem (`type: Input should be 'ping'`);
/// binary messages close it with 1003. The sequence of messages then ends, as it does when the
/// client closes.
public struct WebSocketSession<Incoming: APIValue, Outgoing: APIValue>: Sendable {
    let connection: WebSocketConnection

    /// The logger of the upgrade request.
    public var logger: Logger { connection.logger }

    /// The client's messages, validated, until the socket closes.
    public var messages: Messages { Messages(connection: connection) }

    /// Sends a message as JSON text.
    public func send(_ message: Outgoing) async throws {
        var writer = JSONWriter()
        message.writeJSON(to: &writer)
        try await connection.send(writer.bytes)
    }

    /// Sends an `Outgoing` message already written as JSON (one published by another process, say).
    public func send(encoded json: String) async throws {
        try await connection.outbound.writeTextMessage(json)
    }

    /// Closes the socket: `.normalClosure` (1000) when done, `.policyViolation` (1008) for a client
    /// that broke the rules.
    public func close(_ code: WebSocketErrorCode = .normalClosure, reason: String = "") async {
        await connection.close(code, reason: reason)
    }

    /// The client's messages as `Incoming` values.
    public struct Messages: AsyncSequence, Sendable {
        public typealias Element = Incoming
        let connection: WebSocketConnection

        public func makeAsyncIterator() -> Iterator { Iterator(connection: connection) }

        public struct Iterator: AsyncIteratorProtocol {
            let connection: WebSocketConnection

            public mutating func next() async throws -> Incoming? {
                guard let json = try await connection.nextJSON() else { return nil }
                switch json.flatMap(Self.validate) {
                case .success(let message):
                    return message
                case .failure(let invalid):
                    await connection.close(invalid.code, reason: invalid.reason)
                    return nil
                }
            }

            static func validate(_ json: JSONValue) -> Result<Incoming, InvalidMessage> {
                var issues = ValidationIssues()
                if let message = Incoming.validate(json, at: IssueLocation([]), options: .none, issues: &issues), issues.isEmpty {
                    return .success(message)
                }
                guard let first = issues.all.first else {
                    return .failure(InvalidMessage(code: .policyViolation, reason: "invalid message"))
                }
                let reason = first.location.components.isEmpty ? first.message : "\(first.location.dotted): \(first.message)"
                return .failure(InvalidMessage(code: .policyViolation, reason: reason))
            }
        }
    }
}
