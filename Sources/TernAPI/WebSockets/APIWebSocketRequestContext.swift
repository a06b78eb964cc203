import Hummingbird
import HummingbirdWebSocket
import NIOCore

/// The request context of a WebSocket upgrade request: ``APIRequestContext``'s peer address, plus
/// the reference through which Hummingbird's WebSocket router hands the connection its handler.
/// Only the upgrade router uses it, so plain requests do not pay for that reference.
///
/// ```swift
/// let webSocketRouter = Router(context: APIWebSocketRequestContext.self)
/// try api.installWebSockets(on: webSocketRouter)
/// ```
public struct APIWebSocketRequestContext: RequestContext, RemoteAddressRequestContext, WebSocketRequestContext {
    public var coreContext: CoreRequestContextStorage
    public let remoteAddress: SocketAddress?
    public let webSocket: WebSocketHandlerReference<Self>

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
        webSocket = .init()
    }
}
