import HTTPTypes
import NIOCore
import NIOHTTP1
import Synchronization

/// The number of open connections, shared by every connection of one server.
final class ConnectionCounter: Sendable {
    private let count = Atomic<Int>(0)

    /// Counts a new connection; returns how many are open with it.
    func opened() -> Int {
        count.wrappingAdd(1, ordering: .relaxed).newValue
    }

    func closed() {
        count.wrappingSubtract(1, ordering: .relaxed)
    }
}

/// Answers the first request of a connection opened past the maximum with `503 Service
/// Unavailable` and `Retry-After`, then closes it. A connection within the maximum passes its first
/// request on and the handler leaves its pipeline: later requests cost nothing.
final class ConnectionLimitHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let connections: ConnectionCounter
    private let maxConnections: Int
    private var isRefused = false

    init(connections: ConnectionCounter, maxConnections: Int) {
        self.connections = connections
        self.maxConnections = maxConnections
    }

    func handlerAdded(context: ChannelHandlerContext) {
        isRefused = connections.opened() > maxConnections
        // Counted until the connection closes, whether or not this handler is still there.
        context.channel.closeFuture.whenComplete { [connections] _ in connections.closed() }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard isRefused else {
            context.fireChannelRead(data)
            context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
            return
        }
        guard case .head = unwrapInboundIn(data) else { return }
        let response = CannedResponse.serviceUnavailable
        context.write(wrapOutboundOut(.head(response.head)), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(response.body))), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil))).assumeIsolated().whenComplete { _ in context.closeBeforeFirstRequest() }
    }
}

extension ChannelHandlerContext {
    /// Closes a connection whose first request never reached the handlers behind this one. The
    /// input is declared closed first: a WebSocket upgrade handler waiting for that request then
    /// gives up as it does when a client leaves, instead of failing with an error that Hummingbird
    /// logs as one.
    func closeBeforeFirstRequest() {
        fireUserInboundEventTriggered(ChannelEvent.inputClosed)
        close(promise: nil)
    }
}

/// An ``APIError`` as a channel handler writes it, outside the router, before closing the connection
/// (in front of Hummingbird's HTTP types: in NIO's own).
struct CannedResponse {
    let head: HTTPResponseHead
    let body: ByteBuffer

    init(_ error: APIError) {
        var writer = JSONWriter()
        writer.value(error.body)
        body = writer.buffer
        var headers = error.headers
        headers[.contentType] = "application/json"
        headers[.contentLength] = String(body.readableBytes)
        headers[.connection] = "close"
        head = HTTPResponseHead(
            version: .http1_1, status: HTTPResponseStatus(statusCode: error.status.code, reasonPhrase: error.status.reasonPhrase),
            headers: HTTPHeaders(headers.map { ($0.name.rawName, $0.value) }))
    }

    static let serviceUnavailable = CannedResponse(.retryLater)
    static let requestTimeout = CannedResponse(APIError(.requestTimeout))
}
