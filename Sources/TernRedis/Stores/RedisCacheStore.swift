import TernCache
import TernPrimitives

/// A `CacheStore` in Redis, shared by every process. An entry is a `GET`, its generation another
/// (read only before computing); a write is a script that stores only if the generation is unchanged; an invalidation
/// deletes and increments the generation (remembered for `CacheGeneration/lifetime`);
/// locks are `SET ... NX PX`, released by a script that checks the holder.
public struct RedisCacheStore: CacheStore {
    private let redis: RedisClient

    public init(redis: RedisClient) {
        self.redis = redis
    }

    public func get(_ key: String) async throws -> [UInt8]? {
        try await redis.send("GET", .string(key)).bytes
    }

    public func generation(of key: String) async throws -> String? {
        try await redis.send("GET", .string(Self.generationKey(key))).string
    }

    public func write(_ key: String, _ value: [UInt8], lifetime: Duration, ifGeneration generation: String?) async throws {
        try await redis.run(
            Self.writeScript, keys: [key, Self.generationKey(key)],
            arguments: [.string(generation ?? ""), .bytes(value), .integer(max(1, lifetime.wholeMilliseconds))])
    }

    public func invalidate(_ keys: [String]) async throws {
        guard !keys.isEmpty else { return }
        var commands: [[RedisArgument]] = [["DEL"] + keys.map { .string($0) }]
        for key in keys {
            commands.append(["INCR", .string(Self.generationKey(key))])
            commands.append(["PEXPIRE", .string(Self.generationKey(key)), .integer(CacheGeneration.lifetime.wholeMilliseconds)])
        }
        for reply in try await redis.pipeline(commands) {
            if case .error(let error) = reply { throw RedisError.server(error) }
        }
    }

    public func lock(_ key: String, token: String, lifetime: Duration) async throws -> Bool {
        try await redis.send("SET", .string(key), .string(token), "NX", "PX", .integer(max(1, lifetime.wholeMilliseconds))) != .null
    }

    public func unlock(_ key: String, token: String) async throws {
        try await redis.run(Self.unlockScript, keys: [key], arguments: [.string(token)])
    }

    private static func generationKey(_ key: String) -> String { key + ":gen" }

    /// KEYS: the entry, its generation. ARGV: the generation read before computing ("" for none),
    /// the value, its lifetime in milliseconds.
    private static let writeScript = RedisScript(
        """
        if (redis.call('GET', KEYS[2]) or '') ~= ARGV[1] then return 0 end
        redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
        return 1
        """)

    private static let unlockScript = RedisScript(
        """
        if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
        return 0
        """)
}
