/// Where a ``Cache`` keeps its entries: bytes under keys, each with a lifetime, and short locks that
/// let one caller at a time recompute a key. ``RedisCacheStore`` shares them between processes;
/// ``InProcessCacheStore`` keeps them in one (what serves when there is no Redis).
public protocol CacheStore: Sendable {
    func get(_ key: String) async throws -> [UInt8]?
    func set(_ key: String, to value: [UInt8], lifetime: Duration) async throws
    func delete(_ keys: [String]) async throws
    /// Takes the lock named `key` for `lifetime` unless someone holds it; whether it was taken.
    func lock(_ key: String, token: String, lifetime: Duration) async throws -> Bool
    /// Releases the lock if `token` still holds it (it may have expired and been taken by another).
    func unlock(_ key: String, token: String) async throws
}
