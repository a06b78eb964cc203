import Foundation
import NIOCore
import NIOPosix
import NIOWebSocket

/// The tests' WebSocket client, over a plain TCP connection: it sees every close.
///
/// Hummingbird's client (through NIO's typed client upgrade) sometimes loses a frame that arrives in
/// the same read as the `101 Switching Protocols`, and everything after it: a server that refuses a
/// socket and closes at once (1008 for a bad token) left it waiting forever, in about one run in ten
/// under load, with its TCP socket in CLOSE-WAIT. This client reads the handshake answer and the
/// frames from one byte stream, so nothing can fall between the two.
public enum RawWebSocketClient {
    /// How the server ended the conversation.
    public struct Close: Sendable {
        public var code: WebSocketErrorCode?
        public var reason: String
    }

    /// The server answered the upgrade with something other than 101.
    public struct UpgradeRefused: Error {
        public let statusLine: String
    }

    /// Connects to `127.0.0.1:port`, upgrades `path`, and runs `body` with the open socket; returns
    /// what `body` returns and how the server closed, once the server has closed the connection.
    public static func connect<T: Sendable>(
        port: Int, path: String, headers: [(String, String)] = [],
        _ body: (inout Session) async throws -> T
    ) async throws -> (T, Close?) {
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(host: "127.0.0.1", port: port) { channel in
                channel.eventLoop.makeCompletedFuture { try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel) }
            }
        return try await channel.executeThenClose { inbound, outbound in
            var session = Session(inbound: inbound.makeAsyncIterator(), outbound: outbound)
            try await session.upgrade(path: path, headers: headers)
            let result = try await body(&session)
            return (result, try await session.closeAndWait())
        }
    }

    /// The server sent a binary message where these tests expect text only.
    public struct UnexpectedBinaryMessage: Error {
        public let byteCount: Int
    }

    /// An upgraded connection: whole text messages in and out, pings answered, the close handshake.
    public struct Session {
        fileprivate var inbound: NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator
        fileprivate let outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>
        private var buffer = ByteBuffer()
        private var close: Close?

        fileprivate init(
            inbound: NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator, outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>
        ) {
            self.inbound = inbound
            self.outbound = outbound
        }

        /// Sends one text message, masked as a client must. A server that refuses the socket may
        /// close the connection before the message goes out; `receive()` then says how it closed.
        public func send(_ text: String) async {
            try? await outbound.write(Self.frame(opcode: .text, payload: Array(text.utf8)))
        }

        /// The next text message, or `nil` once the server has sent its close frame; a binary message
        /// throws.
        public mutating func receive() async throws -> String? {
            while close == nil {
                guard let (opcode, payload) = try await nextFrame() else { return nil }
                switch opcode {
                case .text: return String(decoding: payload, as: UTF8.self)
                case .binary: throw UnexpectedBinaryMessage(byteCount: payload.count)
                case .ping: try await outbound.write(Self.frame(opcode: .pong, payload: payload))
                case .connectionClose: close = try await answerClose(payload)
                default: continue
                }
            }
            return nil
        }

        fileprivate mutating func upgrade(path: String, headers: [(String, String)]) async throws {
            let key = Data((0..<16).map { _ in UInt8.random(in: 0...255) }).base64EncodedString()
            var request = "GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            request += "Sec-WebSocket-Key: \(key)\r\nSec-WebSocket-Version: 13\r\n"
            for (name, value) in headers { request += "\(name): \(value)\r\n" }
            try await outbound.write(ByteBuffer(string: request + "\r\n"))
            while buffer.readableBytesView.firstRange(of: Array("\r\n\r\n".utf8)) == nil {
                guard try await readMore() else { throw UpgradeRefused(statusLine: "connection closed") }
            }
            let headEnd = buffer.readableBytesView.firstRange(of: Array("\r\n\r\n".utf8))!.upperBound
            let head = buffer.readString(length: headEnd - buffer.readerIndex) ?? ""
            let statusLine = String(head.prefix { $0 != "\r" })
            guard statusLine.hasPrefix("HTTP/1.1 101") else { throw UpgradeRefused(statusLine: statusLine) }
        }

        /// Ends the conversation: sends a close unless the server already did, and reads until the
        /// server closes the connection.
        fileprivate mutating func closeAndWait() async throws -> Close? {
            if close == nil {
                var payload = ByteBuffer()
                payload.write(webSocketErrorCode: .normalClosure)
                try? await outbound.write(Self.frame(opcode: .connectionClose, payload: Array(buffer: payload)))
                while close == nil, let (opcode, payload) = try await nextFrame() {
                    if opcode == .connectionClose { close = Self.parseClose(payload) }
                }
            }
            try await readToEnd()
            return close
        }

        /// Reads until the server ends the connection. A server that fails the connection (1009 for a
        /// message too big) may close it at once (RFC 6455, 7.1.7), with the rest of our message still
        /// unread; its kernel then answers with a reset, which comes after its close frame and can come
        /// before the end of the stream: after the server's close frame, that reset is the end too.
        private mutating func readToEnd() async throws {
            do {
                while try await readMore() {}
            } catch let error as IOError where error.errnoCode == ECONNRESET && close != nil {
                return
            }
        }

        private mutating func answerClose(_ payload: [UInt8]) async throws -> Close {
            try? await outbound.write(Self.frame(opcode: .connectionClose, payload: Array(payload.prefix(2))))
            return Self.parseClose(payload)
        }

        private static func parseClose(_ payload: [UInt8]) -> Close {
            var payload = ByteBuffer(bytes: payload)
            let code = payload.readWebSocketErrorCode()
            return Close(code: code, reason: String(buffer: payload))
        }

        /// The next whole frame (the server never masks nor, in these tests, fragments), or `nil`
        /// when the connection ends first.
        private mutating func nextFrame() async throws -> (WebSocketOpcode, [UInt8])? {
            while true {
                if let frame = Self.parseFrame(&buffer) { return frame }
                guard try await readMore() else { return nil }
            }
        }

        private static func parseFrame(_ buffer: inout ByteBuffer) -> (WebSocketOpcode, [UInt8])? {
            var peek = buffer
            guard let first = peek.readInteger(as: UInt8.self), let second = peek.readInteger(as: UInt8.self) else { return nil }
            var length = Int(second & 0x7F)
            if length == 126 {
                guard let extended = peek.readInteger(as: UInt16.self) else { return nil }
                length = Int(extended)
            } else if length == 127 {
                guard let extended = peek.readInteger(as: UInt64.self) else { return nil }
                length = Int(extended)
            }
            guard let payload = peek.readBytes(length: length),
                let opcode = WebSocketOpcode(encodedWebSocketOpcode: first & 0x0F)
            else { return nil }
            buffer = peek
            return (opcode, payload)
        }

        private mutating func readMore() async throws -> Bool {
            guard var chunk = try await inbound.next() else { return false }
            buffer.writeBuffer(&chunk)
            return true
        }

        private static func frame(opcode: WebSocketOpcode, payload: [UInt8]) -> ByteBuffer {
            var frame = ByteBuffer()
            frame.writeInteger(0x80 | UInt8(webSocketOpcode: opcode))
            switch payload.count {
            case ..<126: frame.writeInteger(0x80 | UInt8(payload.count))
            case ...0xFFFF:
                frame.writeInteger(UInt8(0x80 | 126))
                frame.writeInteger(UInt16(payload.count))
            default:
                frame.writeInteger(UInt8(0x80 | 127))
                frame.writeInteger(UInt64(payload.count))
            }
            let mask = (0..<4).map { _ in UInt8.random(in: 0...255) }
            frame.writeBytes(mask)
            frame.writeBytes(payload.enumerated().map { $0.element ^ mask[$0.offset % 4] })
            return frame
        }
    }
}
