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

/// An ``APIError`` as a channel handler writes it, outside the router, before closing the connection.
struct CannedResponse {
    let head: HTTPResponse
    let body: ByteBuffer

    init(_ error: APIError) {
        var writer = JSONWriter()
        writer.value(error.body)
        body = ByteBuffer(bytes: writer.bytes)
        var headers = error.headers
        headers[.contentType] = "application/json"
        headers[.contentLength] = String(body.readableBytes)
        headers[.connection] = "close"
        head = HTTPResponse(status: error.status, headerFields: headers)
    }

    static let serviceUnavailable = CannedResponse(.retryLater)
    static let requestTimeout = CannedResponse(APIError(.requestTimeout))
}

extension APIError {
    /// `503 Service Unavailable` with `Retry-After: 1`: the server is at a limit, come back shortly.
    static var retryLater: APIError { APIError(.serviceUnavailable, headers: [.retryAfter: "1"]) }
}
