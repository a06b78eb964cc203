import TernRedis

/// A ``CacheStore`` in Redis, shared by every process: `GET`, `SET ... PX`, `DEL`, and locks taken with
/// `SET ... NX PX` and released by a script that checks the holder.
public struct RedisCacheStore: CacheStore {
    private let redis: RedisClient

    public init(redis: RedisClient) {
        self.redis = redis
    }

    public func get(_ key: String) async throws -> [UInt8]? {
        try await redis.send("GET", .string(key)).bytes
    }

    public func set(_ key: String, to value: [UInt8], lifetime: Duration) async throws {
        try await redis.send("SET", .string(key), .bytes(value), "PX", .integer(Self.milliseconds(lifetime)))
    }

    public func delete(_ keys: [String]) async throws {
        guard !keys.isEmpty else { return }
        try await redis.send(arguments: ["DEL"] + keys.map { .string($0) })
    }

    public func lock(_ key: String, token: String, lifetime: Duration) async throws -> Bool {
        try await redis.send("SET", .string(key), .string(token), "NX", "PX", .integer(Self.milliseconds(lifetime))) != .null
    }

    public func unlock(_ key: String, token: String) async throws {
        try await redis.run(Self.unlockScript, keys: [key], arguments: [.string(token)])
    }

    private static let unlockScript = RedisScript(
        """
        if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
        return 0
        """)

    private static func milliseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        return max(1, seconds * 1000 + attoseconds / 1_000_000_000_000_000)
    }
}
