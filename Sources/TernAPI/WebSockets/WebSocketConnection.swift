import Foundation
import HummingbirdWebSocket
import Logging
import NIOCore
import NIOWebSocket

/// One open WebSocket as the typed layer reads and writes it: whole messages (never more than
/// `maxMessageSize` bytes), JSON text, and closing with a code and a reason.
struct WebSocketConnection: Sendable {
    let inbound: InboundMessages
    let outbound: WebSocketOutboundWriter
    let logger: Logger

    /// The connection's messages, read by one task at a time: the authentication step, then the
    /// handler. Hummingbird allows a single iterator per socket, which both must share.
    final class InboundMessages: @unchecked Sendable {
        private var iterator: WebSocketInboundStream.AsyncIterator
        private let maxMessageSize: Int

        init(_ stream: WebSocketInboundStream, maxMessageSize: Int) {
            iterator = stream.makeAsyncIterator()
            self.maxMessageSize = maxMessageSize
        }

        /// The next whole message, or `nil` once the client closed. A message past the size cap
        /// closes the socket with 1009 (Message Too Big).
        func next() async throws -> WebSocketMessage? {
            try await iterator.nextMessage(maxSize: maxMessageSize)
        }
    }

    /// The next message as JSON, or why it is not acceptable: text that is not JSON, or binary.
    func nextJSON() async throws -> Result<JSONValue, InvalidMessage>? {
        switch try await inbound.next() {
        case nil:
            return nil
        case .text(let text):
            do {
                return .success(try JSONParser.parse(Array(text.utf8)))
            } catch {
                return .failure(InvalidMessage(code: .policyViolation, reason: "message is not JSON: \(error.message)"))
            }
        case .binary:
            return .failure(InvalidMessage(code: .unacceptableData, reason: "messages are JSON text, not binary"))
        }
    }

    func send(_ json: [UInt8]) async throws {
        try await outbound.writeTextMessage(String(decoding: json, as: UTF8.self))
    }

    /// Closes with `code`; the reason is cut to the 123 bytes a close frame holds.
    func close(_ code: WebSocketErrorCode, reason: String) async {
        var reason = reason
        while reason.utf8.count > 123 { reason.removeLast() }
        try? await outbound.close(code, reason: reason)
    }
}

/// A message the socket refuses, and how it closes because of it.
struct InvalidMessage: Error {
    let code: WebSocketErrorCode
    let reason: String
}
