import Foundation
import Logging
import Synchronization
import TernPrimitives

/// Cache-aside for services: a value is read from the store, or computed and stored for next time.
///
/// ```swift
/// let item = try await cache.value(for: "item:\(id)", lifetime: .seconds(60)) {
///     try await items.find(id: id, on: session).map(ItemPublic.init)
/// }
/// await session.afterCommit { await cache.invalidate(["item:\(id)"]) }   // after a change
/// ```
///
/// - **One computation per key at a time**, in this process (callers share it) and across processes
///   (a short lock in the store): the others get the previous value while it lasts a little past its
///   lifetime (stale, for at most one recomputation), or wait briefly for the new one. A hundred
///   requests for a key that just expired make one database query, not a hundred.
/// - **Invalidate after the commit** (``invalidate(_:)`` from `afterCommit`): before it, a concurrent
///   read could store the old row again; after a rollback, there is nothing to invalidate.
/// - **The store failing never fails a request**: the value is computed as if there were no cache,
///   the outage is logged once (and when it ends), and counted.
public final class Cache: Sendable {
    /// How long a recomputation may hold its key before others compute too, how long they wait for
    /// it, and how often they look.
    public struct Timing: Sendable {
        public var lockLifetime: Duration = .seconds(5)
        public var waitLimit: Duration = .seconds(1)
        public var pollInterval: Duration = .milliseconds(5)
        public init() {}
    }

    private let store: any CacheStore
    private let prefix: String
    private let timing: Timing
    private let logger: Logger
    private let outage = OutageLog(name: "cache")
    /// Computations running in this process, by key, which later callers join.
    private let flights = Mutex<[String: Task<[UInt8]?, any Error>]>([:])

    /// - Parameter prefix: put before every key; change it to drop every entry of an older release at once.
    public init(store: any CacheStore, prefix: String = "cache:v1:", timing: Timing = Timing(), logger: Logger) {
        self.store = store
        self.prefix = prefix
        self.timing = timing
        self.logger = logger
    }

    /// The value under `key`, or what `compute` returns, then kept for `lifetime`; `nil` (nothing
    /// found) is not kept. A lifetime of zero keeps nothing: `compute` runs every time.
    public func value<Value: CacheValue>(
        for key: String, lifetime: Duration, compute: @escaping @Sendable () async throws -> Value?
    ) async throws -> Value? {
        guard lifetime > .zero else { return try await compute() }
        let bytes = try await flight(for: prefix + key) {
            try await self.fill(self.prefix + key, lifetime: lifetime) { try await compute()?.cacheEncoded() }
        }
        guard let bytes else { return nil }
        if let value = Value(cacheEncoded: bytes) { return value }
        // An entry of another shape (an older release's): replace it.
        await invalidate([key])
        return try await compute()
    }

    /// Removes the entries; the next read computes them again. Failures are logged, not thrown: the
    /// entries expire at the end of their lifetime anyway.
    public func invalidate(_ keys: [String]) async {
        do {
            try await store.delete(keys.map { prefix + $0 })
        } catch {
            logger.warning("cache entries not invalidated; they expire with their lifetime", metadata: ["keys": "\(keys)"])
            outage.failed(error, logger: logger)
        }
    }

    // MARK: Internals

    private func flight(for key: String, _ work: @escaping @Sendable () async throws -> [UInt8]?) async throws -> [UInt8]? {
        let task = flights.withLock { flights in
            if let running = flights[key] { return running }
            let task = Task {
                defer { _ = self.flights.withLock { $0.removeValue(forKey: key) } }
                return try await work()
            }
            flights[key] = task
            return task
        }
        return try await task.value
    }

    /// One entry: when it stops being fresh (milliseconds since 1970), then the value's bytes.
    private func fill(_ key: String, lifetime: Duration, compute: @Sendable () async throws -> [UInt8]?) async throws -> [UInt8]? {
        let stored: Entry?
        do {
            stored = try await store.get(key).flatMap(Entry.init(bytes:))
            outage.recovered(logger: logger)
        } catch {
            outage.failed(error, logger: logger)
            return try await compute()
        }
        if let stored, stored.isFresh { return stored.value }
        let token = UUID().uuidString
        let lockKey = key + ":lock"
        if (try? await store.lock(lockKey, token: token, lifetime: timing.lockLifetime)) ?? true {
            defer { Task { try? await store.unlock(lockKey, token: token) } }
            guard let value = try await compute() else { return nil }
            // Kept twice its lifetime: the second half serves only while someone recomputes it.
            try? await store.set(key, to: Entry(value: value, freshFor: lifetime).bytes, lifetime: lifetime * 2)
            return value
        }
        if let stored { return stored.value }
        if let value = try await awaitOther(key) { return value }
        return try await compute()
    }

    /// The value another process is computing, if it arrives within the wait limit.
    private func awaitOther(_ key: String) async throws -> [UInt8]? {
        let deadline = ContinuousClock.now + timing.waitLimit
        while ContinuousClock.now < deadline {
            try await Task.sleep(for: timing.pollInterval)
            if let entry = try? await store.get(key).flatMap(Entry.init(bytes:)), entry.isFresh { return entry.value }
        }
        return nil
    }

    private struct Entry {
        let freshUntil: Int64
        let value: [UInt8]

        init(value: [UInt8], freshFor lifetime: Duration) {
            self.value = value
            freshUntil = Self.now + lifetime.components.seconds * 1000 + lifetime.components.attoseconds / 1_000_000_000_000_000
        }

        init?(bytes: [UInt8]) {
            guard bytes.count >= 8 else { return nil }
            freshUntil = bytes.prefix(8).reduce(0) { $0 << 8 | Int64($1) }
            value = Array(bytes.dropFirst(8))
        }

        var bytes: [UInt8] { (0..<8).reversed().map { UInt8(truncatingIfNeeded: freshUntil >> ($0 * 8)) } + value }
        var isFresh: Bool { freshUntil > Self.now }
        private static var now: Int64 { Int64(Date().timeIntervalSince1970 * 1000) }
    }
}
