import HTTPTypes
import NIOCore
import NIOHTTPTypes
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
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundOut = HTTPResponsePart

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
        context.write(wrapOutboundOut(.body(response.body)), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil))).assumeIsolated().whenComplete { _ in context.close(promise: nil) }
    }
}

/// A complete JSON error response written by a channel handler, outside the router.
struct CannedResponse {
    let head: HTTPResponse
    let body: ByteBuffer

    init(status: HTTPResponse.Status, detail: String, extraHeaders: HTTPFields = [:]) {
        body = ByteBuffer(string: #"{"detail":""# + detail + #""}"#)
        var headers = extraHeaders
        headers[.contentType] = "application/json"
        headers[.contentLength] = String(body.readableBytes)
        headers[.connection] = "close"
        head = HTTPResponse(status: status, headerFields: headers)
    }

    static let serviceUnavailable = CannedResponse(
        status: .serviceUnavailable, detail: "Service Unavailable", extraHeaders: [.retryAfter: "1"])
    static let requestTimeout = CannedResponse(status: .requestTimeout, detail: "Request Timeout")
}
