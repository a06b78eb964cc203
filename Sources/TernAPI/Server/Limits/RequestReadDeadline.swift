import NIOCore
import NIOHTTP1

/// Gives each request a deadline to arrive in full, from its first byte to the end of its body.
/// Each body byte received moves the deadline on by the time it takes at the minimum body rate, so
/// that a large upload at a decent pace finishes, while a client trickling bytes cannot.
///
/// Hummingbird's idle timeout closes a connection only when nothing at all arrives; a client that
/// sends one byte a second (slow-loris) keeps it, and the memory of a half-read body, forever. Past
/// this deadline the client gets `408 Request Timeout` (unless a response is already under way) and
/// the connection closes.
///
/// The deadline starts with the first bytes of a request, which only the handler in front of the
/// HTTP decoder sees (``RequestBytesWatcher`` tells this one), and ends with the request's last part,
/// which only a handler after the decoder sees (this one).
///
/// On a connection that may become a WebSocket, this handler also closes a connection that sends
/// nothing for `firstRequestIdleTimeout` (Hummingbird's idle timeout only starts after the first
/// request there), and both handlers leave the pipeline once a WebSocket upgrade request has
/// arrived: what follows is WebSocket frames.
final class RequestReadDeadlineHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    private let timeout: TimeAmount
    /// Nanoseconds of deadline earned per body byte (one over the minimum rate).
    private let nanosecondsPerBodyByte: Double
    /// What the body received so far of the request being read has earned.
    private var earned = TimeAmount.zero
    private let firstRequestIdleTimeout: TimeAmount?
    private var firstRequestIdleTimer: Scheduled<Void>?
    private let leavesOnWebSocketUpgrade: Bool
    /// The watcher in front of the decoder, which leaves with this handler.
    fileprivate weak var watcher: RequestBytesWatcher?
    /// Whether the request being read asks for a WebSocket.
    private var upgradeRequested = false
    /// Whether the client has sent anything yet.
    private var bytesArrived = false
    private var context: ChannelHandlerContext?
    /// When the request being read started arriving; `nil` between requests.
    private var requestStarted: NIODeadline?
    /// At most one timer per connection, re-armed when it fires early: a request costs a clock read,
    /// not a timer scheduled and cancelled.
    private var timer: Scheduled<Void>?
    /// Responses begun and not yet ended.
    private var responsesInProgress = 0
    /// Whether the deadline passed: what arrives afterwards is read and dropped.
    private var expired = false
    /// How long the client has to read the `408` before the connection closes for good.
    static var lingerTime: TimeAmount { .seconds(2) }

    init(
        timeout: TimeAmount, minimumBodyRate: Int = .max, firstRequestIdleTimeout: TimeAmount? = nil,
        leavesOnWebSocketUpgrade: Bool = false
    ) {
        self.timeout = timeout
        self.nanosecondsPerBodyByte = 1e9 / Double(max(minimumBodyRate, 1))
        self.firstRequestIdleTimeout = firstRequestIdleTimeout
        self.leavesOnWebSocketUpgrade = leavesOnWebSocketUpgrade
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        if let firstRequestIdleTimeout {
            firstRequestIdleTimer = context.eventLoop.assumeIsolated().scheduleTask(in: firstRequestIdleTimeout) { [self] in
                if !bytesArrived { self.context?.closeBeforeFirstRequest() }
            }
        }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        timer?.cancel()
        timer = nil
        firstRequestIdleTimer?.cancel()
        firstRequestIdleTimer = nil
        self.context = nil
    }

    /// Bytes of a request arrived: starts its deadline, unless one is running.
    func requestBytesArrived() {
        bytesArrived = true
        guard requestStarted == nil else { return }
        let now = NIODeadline.now()
        requestStarted = now
        if timer == nil { armTimer(for: now + timeout) }
    }

    private func armTimer(for deadline: NIODeadline) {
        guard let context else { return }
        timer = context.eventLoop.assumeIsolated().scheduleTask(deadline: deadline) { [self] in timerFired() }
    }

    private func timerFired() {
        timer = nil
        guard let requestStarted else { return }
        let deadline = requestStarted + timeout + earned
        if NIODeadline.now() < deadline {
            // The request that armed the timer was read in time; this one started later.
            armTimer(for: deadline)
        } else {
            expire()
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !expired else { return }
        switch unwrapInboundIn(data) {
        case .head(let head):
            upgradeRequested = leavesOnWebSocketUpgrade && head.headers["upgrade"].contains { $0.lowercased() == "websocket" }
        case .body(let buffer):
            earned = earned + .nanoseconds(Int64(Double(buffer.readableBytes) * nanosecondsPerBodyByte))
        case .end:
            requestStarted = nil
            earned = .zero
        }
        context.fireChannelRead(data)
        if case .end = unwrapInboundIn(data), upgradeRequested { leavePipeline(context: context) }
    }

    /// A WebSocket upgrade request was read: the connection either becomes a WebSocket, whose frames
    /// these handlers cannot read, or is closed after its refusal.
    private func leavePipeline(context: ChannelHandlerContext) {
        if let watcher { context.pipeline.syncOperations.removeHandler(watcher, promise: nil) }
        context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch unwrapOutboundIn(data) {
        case .head(let head) where head.status.code >= 200: responsesInProgress += 1
        case .end: responsesInProgress -= 1
        default: break
        }
        context.write(data, promise: promise)
    }

    private func expire() {
        guard let context else { return }
        guard responsesInProgress == 0 else { return context.close(promise: nil) }
        expired = true
        let response = CannedResponse.requestTimeout
        context.write(wrapOutboundOut(.head(response.head)), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(response.body))), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil))).assumeIsolated().whenComplete { _ in
            // Closing at once, with the client's latest bytes unread, makes the kernel answer them
            // with a reset, which can destroy the 408 before the client reads it: end the output
            // first, keep reading (and dropping) for a moment, then close.
            let halfClosed = context.eventLoop.makePromise(of: Void.self)
            halfClosed.futureResult.assumeIsolated().whenFailure { _ in context.close(promise: nil) }
            context.close(mode: .output, promise: halfClosed)
            context.eventLoop.assumeIsolated().scheduleTask(in: Self.lingerTime) { context.close(promise: nil) }
        }
    }
}

/// Sits in front of the HTTP decoder and tells ``RequestReadDeadlineHandler`` when bytes arrive.
final class RequestBytesWatcher: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    private let deadline: RequestReadDeadlineHandler

    init(deadline: RequestReadDeadlineHandler) {
        self.deadline = deadline
        deadline.watcher = self
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        deadline.requestBytesArrived()
        context.fireChannelRead(data)
    }
}
