import Hummingbird
import NIOCore

/// The request context of an API's router: Hummingbird's basic one, plus the socket's peer address,
/// from which the API takes the client's (``TrustedProxies``), for rate limits keyed by client.
///
/// ```swift
/// let router = Router(context: APIRequestContext.self)
/// ```
public struct APIRequestContext: RequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    public let remoteAddress: SocketAddress?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }
}
