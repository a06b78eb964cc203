/// Where a ``Cache`` keeps its entries: bytes under keys, each with a lifetime and a generation that
/// every invalidation moves on, and short locks that let one caller at a time recompute a key.
/// `RedisCacheStore` (in `TernRedis`) shares them between processes; ``InProcessCacheStore`` keeps
/// them in one (what serves when there is no Redis).
public protocol CacheStore: Sendable {
    /// The entry under `key`, if any.
    func get(_ key: String) async throws -> [UInt8]?
    /// The key's generation, read before computing a value to store; `nil` until it is first invalidated.
    func generation(of key: String) async throws -> String?
    /// Stores the entry, unless the key was invalidated since its generation was `generation`: a value
    /// computed from rows read before a change must not be stored after the change's invalidation.
    func write(_ key: String, _ value: [UInt8], lifetime: Duration, ifGeneration generation: String?) async throws
    /// Removes the entries and moves their generations on, remembering them for
    /// ``CacheGeneration/lifetime``.
    func invalidate(_ keys: [String]) async throws
    /// Takes the lock named `key` for `lifetime` unless someone holds it; whether it was taken.
    func lock(_ key: String, token: String, lifetime: Duration) async throws -> Bool
    /// Releases the lock if `token` still holds it (it may have expired and been taken by another).
    func unlock(_ key: String, token: String) async throws
}

/// How long stores remember a key's generation after an invalidation: longer than any computation
/// takes, so that one which read before it cannot find the generation gone and store what it read.
public enum CacheGeneration {
    public static let lifetime = Duration.seconds(600)
}
