/// What can go wrong talking to Redis, as far as callers need to tell cases apart. None of these
/// crash anything: a cache treats them all as a miss, a rate limiter as its fail-open or fail-closed
/// choice.
public enum RedisError: Error, Sendable, Equatable, CustomStringConvertible {
    /// No connection could be opened (server down, refused, wrong credentials); ``RedisClient`` does
    /// not retry before its backoff ends, so callers learn this at once during an outage.
    case connectionFailed(String)
    /// The connection broke with the command in flight; whether a write took effect is unknown.
    case connectionLost
    /// No reply within the command timeout; the connection is closed (its replies would be out of step).
    case timeout
    /// The server answered with an error.
    case server(RedisServerError)
    /// `EVALSHA` of a script the server does not hold; ``RedisClient/run(_:keys:arguments:)`` loads it.
    case noScript
    /// A command on a key holding the wrong kind of value.
    case wrongType(String)
    /// A reply that is not RESP, or larger than the client accepts; the connection is closed.
    case protocolError(String)
    /// The client was closed.
    case closed

    /// The thrown form of an error reply.
    public init(_ error: RedisServerError) {
        switch error.prefix {
        case "NOSCRIPT": self = .noScript
        case "WRONGTYPE": self = .wrongType(error.message)
        default: self = .server(error)
        }
    }

    public var description: String {
        switch self {
        case .connectionFailed(let reason): "cannot connect to Redis: \(reason)"
        case .connectionLost: "the connection to Redis was lost"
        case .timeout: "Redis did not answer in time"
        case .server(let error): "Redis error: \(error.message)"
        case .noScript: "Redis does not hold the script"
        case .wrongType(let message): "Redis error: \(message)"
        case .protocolError(let reason): "Redis protocol error: \(reason)"
        case .closed: "the Redis client is closed"
        }
    }
}
