import NIOCore

/// Pipelining over one connection: requests are written as they come, and replies, which Redis sends
/// in the order of the commands, complete them first in, first out.
///
/// When the replies can no longer be matched to their commands (no reply within the timeout, bytes
/// that are not RESP, the connection gone), every waiting request fails and the channel closes.
final class RedisChannelHandler: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundIn = RedisRequest
    typealias OutboundOut = ByteBuffer

    private struct Waiting {
        var replies: EventLoopPromise<[RedisValue]>
        var expected: Int
        var received: [RedisValue]
        var deadline: NIODeadline
    }

    private let reader: RedisReplyReader
    private let commandTimeout: TimeAmount
    private var waiting = CircularBuffer<Waiting>()
    private var deadlineCheck: Scheduled<Void>?
    /// Why the channel cannot be used any more, once it cannot.
    private var failure: RedisError?

    init(commandTimeout: TimeAmount, maxReplyBytes: Int) {
        self.commandTimeout = commandTimeout
        reader = RedisReplyReader(maxPendingBytes: maxReplyBytes)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let request = unwrapOutboundIn(data)
        if let failure {
            request.replies.fail(failure)
            promise?.fail(failure)
            return
        }
        let deadline = NIODeadline.now() + commandTimeout
        waiting.append(Waiting(replies: request.replies, expected: request.commandCount, received: [], deadline: deadline))
        if deadlineCheck == nil { scheduleDeadlineCheck(at: deadline, context: context) }
        context.write(wrapOutboundOut(request.encoded), promise: promise)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        do {
            try reader.feed(unwrapInboundIn(data))
            while let reply = try reader.next() {
                try deliver(reply)
            }
        } catch {
            fail(with: error, context: context)
        }
    }

    private func deliver(_ reply: RedisValue) throws(RedisError) {
        guard !waiting.isEmpty else { throw .protocolError("a reply to no command") }
        // In place: through the subscript (get and set, no modify), each append copied the array of
        // the replies so far, which made a pipeline of n commands cost n²/2 copies.
        let complete = waiting.modify(waiting.startIndex) { request in
            request.received.append(reply)
            return request.received.count == request.expected
        }
        if complete {
            let done = waiting.removeFirst()
            done.replies.succeed(done.received)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        fail(with: .connectionLost, context: context)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        fail(with: .connectionLost, context: context)
    }

    /// One timer for the oldest request: the others were written later, so their deadlines are later.
    private func scheduleDeadlineCheck(at deadline: NIODeadline, context: ChannelHandlerContext) {
        let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        deadlineCheck = context.eventLoop.scheduleTask(deadline: deadline) {
            let (handler, context) = loopBound.value
            handler.deadlineCheck = nil
            guard let oldest = handler.waiting.first else { return }
            if oldest.deadline <= .now() {
                handler.fail(with: .timeout, context: context)
            } else {
                handler.scheduleDeadlineCheck(at: oldest.deadline, context: context)
            }
        }
    }

    private func fail(with error: RedisError, context: ChannelHandlerContext) {
        if failure == nil { failure = error }
        deadlineCheck?.cancel()
        deadlineCheck = nil
        let failed = waiting
        waiting.removeAll()
        // Closed before the callers hear of it: a caller that sends its next command at once must find
        // this connection inactive and open another, not queue the command on a channel closing under it.
        if context.channel.isActive { context.close(promise: nil) }
        for request in failed { request.replies.fail(error) }
    }
}
