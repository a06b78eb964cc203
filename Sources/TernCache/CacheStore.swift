/// Where a ``Cache`` keeps its entries: bytes under keys, each with a lifetime and a generation that
/// every invalidation moves on, and short locks that let one caller at a time recompute a key.
/// `RedisCacheStore` (in `TernRedis`) shares them between processes; ``InProcessCacheStore`` keeps
/// them in one (what serves when there is no Redis).
public protocol CacheStore: Sendable {
    /// The entry under `key`, if any, and the key's generation.
    func read(_ key: String) async throws -> CacheRead
    /// Stores the entry, unless the key was invalidated since a read saw `generation`: a value computed
    /// from rows read before a change must not be stored after the change's invalidation.
    func write(_ key: String, _ value: [UInt8], lifetime: Duration, ifGeneration generation: String?) async throws
    /// Removes the entries and moves their generations on.
    func invalidate(_ keys: [String]) async throws
    /// Takes the lock named `key` for `lifetime` unless someone holds it; whether it was taken.
    func lock(_ key: String, token: String, lifetime: Duration) async throws -> Bool
    /// Releases the lock if `token` still holds it (it may have expired and been taken by another).
    func unlock(_ key: String, token: String) async throws
}

/// What a store holds under a key: the entry, and the generation to write the next one against.
public struct CacheRead: Sendable, Equatable {
    public var value: [UInt8]?
    /// `nil` until the key is first invalidated.
    public var generation: String?

    public init(value: [UInt8]?, generation: String?) {
        self.value = value
        self.generation = generation
    }
}
