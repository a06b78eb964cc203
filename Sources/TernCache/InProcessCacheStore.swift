import Synchronization

/// A ``CacheStore`` in this process's memory, bounded in entries: when full, expired entries go
/// first, then the ones closest to expiring. Nothing is shared with other processes.
public final class InProcessCacheStore: CacheStore {
    private struct Entry {
        var value: [UInt8]
        var expires: ContinuousClock.Instant
    }

    private let entries = Mutex<[String: Entry]>([:])
    private let maxEntries: Int

    public init(maxEntries: Int = 10_000) {
        self.maxEntries = maxEntries
    }

    public func get(_ key: String) async throws -> [UInt8]? {
        let now = ContinuousClock.now
        return entries.withLock { entries in
            guard let entry = entries[key], entry.expires > now else { return nil }
            return entry.value
        }
    }

    public func set(_ key: String, to value: [UInt8], lifetime: Duration) async throws {
        store(key, Entry(value: value, expires: .now + lifetime), onlyIfAbsent: false)
    }

    public func delete(_ keys: [String]) async throws {
        entries.withLock { entries in
            for key in keys { entries[key] = nil }
        }
    }

    public func lock(_ key: String, token: String, lifetime: Duration) async throws -> Bool {
        store(key, Entry(value: Array(token.utf8), expires: .now + lifetime), onlyIfAbsent: true)
    }

    public func unlock(_ key: String, token: String) async throws {
        entries.withLock { entries in
            if entries[key]?.value == Array(token.utf8) { entries[key] = nil }
        }
    }

    @discardableResult
    private func store(_ key: String, _ entry: Entry, onlyIfAbsent: Bool) -> Bool {
        let now = ContinuousClock.now
        return entries.withLock { entries in
            if onlyIfAbsent, let held = entries[key], held.expires > now { return false }
            if entries.count >= maxEntries, entries[key] == nil {
                entries = entries.filter { $0.value.expires > now }
                if entries.count >= maxEntries {
                    let soonest = entries.sorted { $0.value.expires < $1.value.expires }.prefix(max(1, maxEntries / 10))
                    for (key, _) in soonest { entries[key] = nil }
                }
            }
            entries[key] = entry
            return true
        }
    }
}
