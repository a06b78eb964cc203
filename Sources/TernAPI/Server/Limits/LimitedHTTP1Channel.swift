import Hummingbird
import HummingbirdCore
import Logging
import NIOCore

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
            LimitedHTTP1Channel(
                base: HTTP1Channel(responder: responder, configuration: .init(idleTimeout: TimeAmount(limits.idleTimeout))),
                limits: limits, connections: connections)
        }
    }
}

/// Hummingbird's ``HTTP1Channel`` with the handlers that enforce ``HTTPServerLimits`` added to each
/// connection's pipeline.
struct LimitedHTTP1Channel: ServerChildChannel, HTTPChannelHandler {
    typealias Value = HTTP1Channel.Value

    let base: HTTP1Channel
    let limits: HTTPServerLimits
    let connections: ConnectionCounter

    var responder: Responder { base.responder }

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        base.setup(channel: channel, logger: logger).flatMapThrowing { [limits, connections] value in
            let pipeline = channel.pipeline.syncOperations
            // After the HTTP codec, before Hummingbird's own connection handling.
            let connectionState = try pipeline.handler(type: HTTPConnectionStateHandler.self)
            let deadline = RequestReadDeadlineHandler(timeout: TimeAmount(limits.readTimeout))
            try pipeline.addHandler(
                ConnectionLimitHandler(connections: connections, maxConnections: limits.maxConnections),
                position: .before(connectionState))
            try pipeline.addHandler(deadline, position: .before(connectionState))
            // Before the HTTP codec, where the first bytes of a request are seen.
            try pipeline.addHandler(RequestBytesWatcher(deadline: deadline), position: .first)
            return value
        }
    }

    func handle(value: Value, logger: Logger) async {
        await base.handle(value: value, logger: logger)
    }
}
