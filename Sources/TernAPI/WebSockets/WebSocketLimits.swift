/// What a WebSocket of the API allows its client.
public struct WebSocketLimits: Sendable {
    /// The largest message accepted, in bytes, whether it comes in one frame or several; a larger
    /// one closes the socket with 1009 (Message Too Big).
    public var maxMessageSize: Int
    /// How long a client that connected without a token has to send `{"token": "..."}` as its first
    /// message before the socket closes with 1008.
    public var authenticationTimeout: Duration
    /// How often the server pings; a client that has not answered the last ping by the next is
    /// gone, and its socket closes.
    public var pingInterval: Duration

    public init(maxMessageSize: Int = 1 << 16, authenticationTimeout: Duration = .seconds(10), pingInterval: Duration = .seconds(30)) {
        self.maxMessageSize = maxMessageSize
        self.authenticationTimeout = authenticationTimeout
        self.pingInterval = pingInterval
    }
}
