import Hummingbird
import NIOCore

/// Gathers small writes (a CSV row, a JSON line) into pieces of about ``flushSize`` bytes before
/// handing them to the connection: one write per row would cost a system call and a trip through
/// the event loop each.
struct BufferedBodyWriter {
    /// How many bytes are gathered before they are written.
    static var flushSize: Int { 16 * 1024 }

    private var output: any ResponseBodyWriter
    private var buffer = ByteBuffer()

    init(_ output: any ResponseBodyWriter) {
        self.output = output
    }

    mutating func append(_ bytes: some Collection<UInt8>) async throws {
        buffer.writeBytes(bytes)
        if buffer.readableBytes >= Self.flushSize { try await flush() }
    }

    mutating func append(_ string: String) async throws {
        try await append(string.utf8)
    }

    /// Writes what was gathered now (an event a client waits for).
    mutating func flush() async throws {
        guard buffer.readableBytes > 0 else { return }
        try await output.write(buffer)
        buffer.clear()
    }

    /// Writes the rest and ends the body.
    mutating func finish() async throws {
        try await flush()
        try await output.finish(nil)
    }
}
