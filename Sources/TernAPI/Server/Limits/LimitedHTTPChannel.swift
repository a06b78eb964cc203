import Hummingbird
import HummingbirdCore
import HummingbirdWebSocket
import Logging
import NIOCore
import NIOHTTP1

extension HTTPServerBuilder {
    /// Hummingbird's HTTP/1.1 server with ``HTTPServerLimits``: idle connections closed, requests
    /// that take too long to arrive answered 408, connections past the maximum answered 503.
    ///
    /// ```swift
    /// let application = Application(router: router, server: .http1(limits: HTTPServerLimits()))
    /// ```
    public static func http1(limits: HTTPServerLimits) -> HTTPServerBuilder {
        let connections = ConnectionCounter()
        return HTTPServerBuilder { responder in
            LimitedHTTPChannel(
                base: HTTP1Channel(responder: responder, configuration: .init(idleTimeout: TimeAmount(limits.idleTimeout))),
                limits: limits, connections: connections, upgradesToWebSocket: false)
        }
    }

    /// The same server, where a request may also become a WebSocket: the upgrade requests go to
    /// `webSocketRouter` (see ``TypedAPI/installWebSockets(on:)``), every other request to the
    /// application's router.
    ///
    /// Until a connection becomes a WebSocket, the limits hold as for ``http1(limits:)``, the idle
    /// timeout before the first request included (Hummingbird's own only begins after it). A WebSocket's own limits are in `webSocket`: no frame larger than a message
    /// may be, and a ping every interval that the client must answer before the next.
    public static func http1WebSocketUpgrade<WebSocketRouter: HTTPResponderBuilder>(
        limits: HTTPServerLimits, webSocketRouter: WebSocketRouter, webSocket: WebSocketLimits
    ) -> HTTPServerBuilder where WebSocketRouter.Responder.Context: WebSocketRequestContext {
        let connections = ConnectionCounter()
        let webSocketResponder = webSocketRouter.buildResponder()
        let configuration = HTTP1WebSocketUpgradeChannel.Configuration(
            http1: .init(idleTimeout: TimeAmount(limits.idleTimeout)),
            ws: WebSocketServerConfiguration(
                maxFrameSize: webSocket.maxMessageSize, autoPing: .enabled(timePeriod: webSocket.pingInterval)))
        return HTTPServerBuilder { responder in
            LimitedHTTPChannel(
                base: HTTP1WebSocketUpgradeChannel(
                    responder: responder, webSocketResponder: webSocketResponder, configuration: configuration),
                limits: limits, connections: connections, upgradesToWebSocket: true)
        }
    }
}

/// A Hummingbird HTTP/1.1 channel (plain, or one that upgrades to WebSockets) with the handlers that
/// enforce ``HTTPServerLimits`` added to each connection's pipeline, right after the HTTP decoder:
/// the one place both kinds of pipeline share from a connection's first byte.
struct LimitedHTTPChannel<Base: ServerChildChannel & HTTPChannelHandler>: ServerChildChannel, HTTPChannelHandler {
    typealias Value = Base.Value

    let base: Base
    let limits: HTTPServerLimits
    let connections: ConnectionCounter
    let upgradesToWebSocket: Bool

    var responder: Responder { base.responder }

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        base.setup(channel: channel, logger: logger).flatMapThrowing { [limits, connections, upgradesToWebSocket] value in
            let pipeline = channel.pipeline.syncOperations
            let decoder = try pipeline.handler(type: ByteToMessageHandler<HTTPRequestDecoder>.self)
            let deadline = RequestReadDeadlineHandler(
                timeout: TimeAmount(limits.readTimeout), minimumBodyRate: limits.minimumBodyRate,
                firstRequestIdleTimeout: upgradesToWebSocket ? TimeAmount(limits.idleTimeout) : nil,
                leavesOnWebSocketUpgrade: upgradesToWebSocket)
            try pipeline.addHandlers(
                [ConnectionLimitHandler(connections: connections, maxConnections: limits.maxConnections), deadline],
                position: .after(decoder))
            // Before the HTTP decoder, where the first bytes of a request are seen.
            try pipeline.addHandler(RequestBytesWatcher(deadline: deadline), position: .first)
            return value
        }
    }

    func handle(value: Value, logger: Logger) async {
        await base.handle(value: value, logger: logger)
    }
}
