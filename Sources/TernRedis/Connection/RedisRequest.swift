import NIOCore

/// Commands already encoded, written together, and the promise of their replies in order.
struct RedisRequest: Sendable {
    var encoded: ByteBuffer
    var commandCount: Int
    var replies: EventLoopPromise<[RedisValue]>
}
