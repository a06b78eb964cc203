import CHiredis
import NIOCore

/// hiredis's RESP parser, fed the bytes a channel receives and asked for whole replies.
///
/// Not thread-safe: it lives in one channel handler, on that channel's event loop. A reader in error
/// stays in error (hiredis's own rule), so the connection must be closed.
final class RedisReplyReader {
    private let reader: UnsafeMutablePointer<redisReader>
    /// Bytes received but not yet parsed into a reply, beyond which the server is taken to be
    /// misbehaving (a reply this large is a bug in the caller, not a cache entry).
    private let maxPendingBytes: Int

    init(maxPendingBytes: Int) {
        guard let reader = redisReaderCreate() else { fatalError("hiredis could not allocate a reader (out of memory)") }
        self.reader = reader
        self.maxPendingBytes = maxPendingBytes
    }

    deinit {
        redisReaderFree(reader)
    }

    func feed(_ buffer: ByteBuffer) throws(RedisError) {
        let status = buffer.withUnsafeReadableBytes { bytes in
            redisReaderFeed(reader, bytes.baseAddress, bytes.count)
        }
        guard status == REDIS_OK else { throw .protocolError(errorText) }
        if reader.pointee.len - reader.pointee.pos > maxPendingBytes {
            throw .protocolError("a reply larger than \(maxPendingBytes) bytes")
        }
    }

    /// The next whole reply, or nil until more bytes arrive.
    func next() throws(RedisError) -> RedisValue? {
        var reply: UnsafeMutableRawPointer?
        guard redisReaderGetReply(reader, &reply) == REDIS_OK else { throw .protocolError(errorText) }
        guard let reply else { return nil }
        defer { freeReplyObject(reply) }
        return Self.value(of: reply.assumingMemoryBound(to: redisReply.self))
    }

    private var errorText: String {
        withUnsafeBytes(of: reader.pointee.errstr) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
    }

    private static func value(of reply: UnsafeMutablePointer<redisReply>) -> RedisValue {
        let reply = reply.pointee
        switch reply.type {
        case REDIS_REPLY_STRING:
            return .bulkString(bytes(reply.str, reply.len))
        case REDIS_REPLY_STATUS:
            return .simpleString(String(decoding: bytes(reply.str, reply.len), as: UTF8.self))
        case REDIS_REPLY_ERROR:
            return .error(RedisServerError(message: String(decoding: bytes(reply.str, reply.len), as: UTF8.self)))
        case REDIS_REPLY_INTEGER:
            return .integer(reply.integer)
        case REDIS_REPLY_ARRAY:
            return .array((0..<reply.elements).map { value(of: reply.element[$0]!) })
        default:
            return .null
        }
    }

    private static func bytes(_ pointer: UnsafeMutablePointer<CChar>?, _ count: Int) -> [UInt8] {
        guard let pointer, count > 0 else { return [] }
        return pointer.withMemoryRebound(to: UInt8.self, capacity: count) { Array(UnsafeBufferPointer(start: $0, count: count)) }
    }
}
