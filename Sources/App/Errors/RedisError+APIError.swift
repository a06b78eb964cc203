import TernAPI
import TernRedis

// The bridge from Redis's outages to HTTP (the Redis building block knows nothing of HTTP). Most of
// what the app keeps in Redis carries on without it (the cache is bypassed, rate limits fail as
// configured); what cannot, such as enqueuing a job outside a transaction, answers as a database
// outage does.
extension ErrorHandlers {
    /// Answers Redis being out of reach (no connection, a connection lost, no reply in time) with
    /// 503 and `Retry-After`: the same request may succeed once Redis is back. Other Redis errors
    /// (a command the server refuses) stay 500s: they are the program's.
    mutating func registerRedisErrors() {
        register(RedisError.self) { (error: RedisError) -> (any Error)? in
            switch error {
            case .connectionFailed, .connectionLost, .timeout: APIError.retryLater
            default: nil
            }
        }
    }
}
