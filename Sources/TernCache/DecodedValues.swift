import Synchronization

/// The values a ``Cache`` last read, by key, with the bytes they were read from: a hit whose bytes
/// are the same is not decoded again. The store is still asked every time, so a change is seen at
/// once; only the parsing is saved (a cached current user is read by every authenticated request).
final class DecodedValues: Sendable {
    private struct Entry {
        let bytes: [UInt8]
        let value: any CacheValue
    }

    private let entries = Mutex<[String: Entry]>([:])
    private let capacity: Int

    /// - Parameter capacity: the number of keys remembered; when full, all are forgotten at once
    ///   (the hot keys come back on their next read).
    init(capacity: Int = 4096) {
        self.capacity = capacity
    }

    /// The value read from `bytes` under `key`, if these are the bytes it was last read from.
    func value<Value: CacheValue>(for key: String, bytes: [UInt8], as type: Value.Type) -> Value? {
        guard let entry = entries.withLock({ $0[key] }), entry.bytes == bytes else { return nil }
        return entry.value as? Value
    }

    func remember(_ value: some CacheValue, for key: String, bytes: [UInt8]) {
        entries.withLock { entries in
            if entries.count >= capacity, entries[key] == nil { entries.removeAll(keepingCapacity: true) }
            entries[key] = Entry(bytes: bytes, value: value)
        }
    }
}
