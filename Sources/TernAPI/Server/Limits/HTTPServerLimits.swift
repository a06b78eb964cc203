/// What the HTTP server allows a client, so that a hostile or broken one cannot hold the server's
/// memory, connections or time: every limit here ends something that would otherwise last forever.
///
/// Serve with them through `HTTPServerBuilder.http1(limits:)`; bound the requests
/// the application works on at once with ``ConcurrentRequestLimitMiddleware``.
public struct HTTPServerLimits: Sendable {
    /// How long a connection may sit with no request before it is closed.
    public var idleTimeout: Duration
    /// How long a request may take to arrive, from its first byte to the last of its body. Past it,
    /// the client gets `408 Request Timeout` and the connection closes: a client sending a byte now
    /// and then (slow-loris) cannot hold a connection, nor the memory of a half-read body.
    public var readTimeout: Duration
    /// The pace, in bytes a second, at which a body earns more time: each byte received moves the
    /// read deadline on by `1 / minimumBodyRate` seconds. An upload at a decent pace gets the time it
    /// needs however large it is (up to the body limit); a client trickling bytes does not.
    public var minimumBodyRate: Int
    /// Connections open at once. A connection past this number gets `503 Service Unavailable` with
    /// `Retry-After` for its first request, then is closed.
    public var maxConnections: Int
    /// Requests being worked on at once; past this, `503` with `Retry-After` at once instead of a
    /// line that grows without bound.
    public var maxConcurrentRequests: Int

    public init(
        idleTimeout: Duration = .seconds(60), readTimeout: Duration = .seconds(30), minimumBodyRate: Int = 64 << 10,
        maxConnections: Int = 4096, maxConcurrentRequests: Int = 1024
    ) {
        self.idleTimeout = idleTimeout
        self.readTimeout = readTimeout
        self.minimumBodyRate = minimumBodyRate
        self.maxConnections = maxConnections
        self.maxConcurrentRequests = maxConcurrentRequests
    }
}
