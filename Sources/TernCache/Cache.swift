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
///   requests for a key that just expired make one database query, not a hundred. Finding nothing
///   is kept too, for at most ``Timing/absentLifetime``.
/// - **Invalidate after the commit** (``invalidate(_:)`` from `afterCommit`): before it, a concurrent
///   read could store the old row again; after a rollback, there is nothing to invalidate. A
///   computation that read before the invalidation does not store what it read (the store's
///   generation moved on), nor do later callers join it.
/// - **The store failing never fails a request**: the value is computed as if there were no cache,
///   the outage is logged once (and when it ends), and counted.
public final class Cache: Sendable {
    /// How long a recomputation may hold its key before others compute too, how long they wait for
    /// it and how often they look, and how long "nothing found" is kept.
    public struct Timing: Sendable {
        public var lockLifetime: Duration = .seconds(5)
        public var waitLimit: Duration = .seconds(1)
        public var pollInterval: Duration = .milliseconds(5)
        public var absentLifetime: Duration = .seconds(5)
        public init() {}
    }

    private struct Flight {
        let id: Int
        let task: Task<[UInt8]?, any Error>
    }

    private let store: any CacheStore
    private let prefix: String
    private let timing: Timing
    private let logger: Logger
    private let outage = OutageLog(name: "cache")
    private let decoded = DecodedValues()
    /// Computations running in this process, by key, which later callers join.
    private let flights = Mutex<(next: Int, running: [String: Flight])>((0, [:]))

    /// - Parameters:
    ///   - store: where entries are kept: Redis to share them between processes, or this process.
    ///   - prefix: put before every key; change it to drop every entry of an older release at once.
    ///   - timing: the locks' and waits' durations.
    ///   - logger: where an outage of the store is reported, once when it starts and once when it ends.
    public init(store: any CacheStore, prefix: String = "cache:v1:", timing: Timing = Timing(), logger: Logger) {
        self.store = store
        self.prefix = prefix
        self.timing = timing
        self.logger = logger
    }

    /// The value under `key`, or what `compute` returns, then kept for `lifetime`. A lifetime of zero
    /// keeps nothing: `compute` runs every time.
    public func value<Value: CacheValue>(
        for key: String, lifetime: Duration, compute: @escaping @Sendable () async throws -> Value?
    ) async throws -> Value? {
        guard lifetime > .zero else { return try await compute() }
        let key = prefix + key
        let stored: CacheEntry?
        do {
            stored = try await store.get(key).flatMap(CacheEntry.init(bytes:))
            outage.recovered(logger: logger)
        } catch {
            outage.failed(error, logger: logger)
            return try await compute()
        }
        let bytes: [UInt8]?
        if let stored, stored.isFresh {
            bytes = stored.value
        } else {
            bytes = try await flight(for: key) {
                try await self.fill(key, lifetime: lifetime, stale: stored) { try await compute()?.cacheEncoded() }
            }
        }
        guard let bytes else { return nil }
        if let value = decoded.value(for: key, bytes: bytes, as: Value.self) { return value }
        if let value = Value(cacheEncoded: bytes) {
            decoded.remember(value, for: key, bytes: bytes)
            return value
        }
        // An entry of another shape (an older release's): replace it.
        await invalidate(prefixedKeys: [key])
        return try await compute()
    }

    /// Removes the entries; the next read computes them again, and computations already running do
    /// not store what they read. Failures are logged, not thrown: the entries expire at the end of
    /// their lifetime anyway.
    public func invalidate(_ keys: [String]) async {
        await invalidate(prefixedKeys: keys.map { prefix + $0 })
    }

    private func invalidate(prefixedKeys keys: [String]) async {
        flights.withLock { flights in
            for key in keys { flights.running[key] = nil }
        }
        do {
            try await store.invalidate(keys)
        } catch {
            logger.warning("cache entries not invalidated; they expire with their lifetime", metadata: ["keys": "\(keys)"])
            outage.failed(error, logger: logger)
        }
    }

    // MARK: Internals

    private func flight(for key: String, _ work: @escaping @Sendable () async throws -> [UInt8]?) async throws -> [UInt8]? {
        let task = flights.withLock { flights in
            if let running = flights.running[key] { return running.task }
            let id = flights.next
            flights.next += 1
            let task = Task {
                defer {
                    self.flights.withLock { flights in
                        if flights.running[key]?.id == id { flights.running[key] = nil }
                    }
                }
                return try await work()
            }
            flights.running[key] = Flight(id: id, task: task)
            return task
        }
        return try await task.value
    }

    /// A missing or expired entry: computed here if this process takes the key's lock; else the stale
    /// value if there is one, or the value another process stores meanwhile.
    private func fill(
        _ key: String, lifetime: Duration, stale: CacheEntry?, compute: @Sendable () async throws -> [UInt8]?
    ) async throws -> [UInt8]? {
        if let value = try await computeHoldingLock(key, lifetime: lifetime, compute) { return value }
        if let stale { return stale.value }
        let deadline = ContinuousClock.now + timing.waitLimit
        while ContinuousClock.now < deadline {
            try await Task.sleep(for: timing.pollInterval)
            // Free once the holder is done: then its value is read, or, if it stored none (it failed,
            // or was invalidated), computed here.
            if let value = try await computeHoldingLock(key, lifetime: lifetime, compute) { return value }
        }
        return try await compute()
    }

    /// The computed value, if the lock was free (`.some(nil)`: computed, nothing found), or `nil`
    /// when another holds it. A store that fails to lock is treated as no lock at all.
    private func computeHoldingLock(
        _ key: String, lifetime: Duration, _ compute: @Sendable () async throws -> [UInt8]?
    ) async throws -> [UInt8]?? {
        let lockKey = key + ":lock"
        let token = UUID().uuidString
        guard (try? await store.lock(lockKey, token: token, lifetime: timing.lockLifetime)) ?? true else { return nil }
        // Both read at once (one round trip). The entry: another holder may have stored the value and
        // let go since this caller last looked. The generation, read before computing: an invalidation
        // from here on moves it, and the write is skipped (skipped too when it cannot be read).
        async let current = store.get(key)
        async let currentGeneration = store.generation(of: key)
        if let entry = try? await current.flatMap(CacheEntry.init(bytes:)), entry.isFresh {
            try? await store.unlock(lockKey, token: token)
            return .some(entry.value)
        }
        let generation: String??
        do {
            generation = try await .some(currentGeneration)
        } catch {
            generation = nil
        }
        let value: [UInt8]?
        do {
            value = try await compute()
        } catch {
            try? await store.unlock(lockKey, token: token)
            throw error
        }
        let entry = CacheEntry(value: value, freshFor: value == nil ? min(lifetime, timing.absentLifetime) : lifetime)
        // Kept twice its lifetime: the second half serves only while someone recomputes it.
        if let generation { try? await store.write(key, entry.bytes, lifetime: lifetime * 2, ifGeneration: generation) }
        try? await store.unlock(lockKey, token: token)
        return .some(value)
    }
}
