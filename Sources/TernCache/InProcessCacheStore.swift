import Synchronization

/// A ``CacheStore`` in this process's memory, bounded in entries: when full, expired entries go
/// first, then the ones closest to expiring. Nothing is shared with other processes.
public final class InProcessCacheStore: CacheStore {
    private struct Entry {
        var value: [UInt8]
        var expires: ContinuousClock.Instant
    }

    private struct State {
        var entries: [String: Entry] = [:]
        var generations: [String: Entry] = [:]
        var invalidations = 0
    }

    private let state = Mutex(State())
    private let maxEntries: Int

    public init(maxEntries: Int = 10_000) {
        self.maxEntries = maxEntries
    }

    public func get(_ key: String) async throws -> [UInt8]? {
        let now = ContinuousClock.now
        return state.withLock { state in state.entries[key].flatMap { $0.expires > now ? $0.value : nil } }
    }

    public func generation(of key: String) async throws -> String? {
        let now = ContinuousClock.now
        return state.withLock { state in
            state.generations[key].flatMap { $0.expires > now ? String(decoding: $0.value, as: UTF8.self) : nil }
        }
    }

    public func write(_ key: String, _ value: [UInt8], lifetime: Duration, ifGeneration generation: String?) async throws {
        let now = ContinuousClock.now
        state.withLock { state in
            let current = state.generations[key].flatMap { $0.expires > now ? String(decoding: $0.value, as: UTF8.self) : nil }
            guard current == generation else { return }
            store(key, Entry(value: value, expires: now + lifetime), in: &state.entries, now: now)
        }
    }

    public func invalidate(_ keys: [String]) async throws {
        let now = ContinuousClock.now
        state.withLock { state in
            for key in keys {
                state.entries[key] = nil
                state.invalidations += 1
                let generation = Entry(value: Array(String(state.invalidations).utf8), expires: now + CacheGeneration.lifetime)
                store(key, generation, in: &state.generations, now: now)
            }
        }
    }

    public func lock(_ key: String, token: String, lifetime: Duration) async throws -> Bool {
        let now = ContinuousClock.now
        return state.withLock { state in
            if let held = state.entries[key], held.expires > now { return false }
            store(key, Entry(value: Array(token.utf8), expires: now + lifetime), in: &state.entries, now: now)
            return true
        }
    }

    public func unlock(_ key: String, token: String) async throws {
        state.withLock { state in
            if state.entries[key]?.value == Array(token.utf8) { state.entries[key] = nil }
        }
    }

    private func store(_ key: String, _ entry: Entry, in entries: inout [String: Entry], now: ContinuousClock.Instant) {
        if entries.count >= maxEntries, entries[key] == nil {
            entries = entries.filter { $0.value.expires > now }
            if entries.count >= maxEntries {
                let soonest = entries.sorted { $0.value.expires < $1.value.expires }.prefix(max(1, maxEntries / 10))
                for (key, _) in soonest { entries[key] = nil }
            }
        }
        entries[key] = entry
    }
}
