/// Prepared statements of one connection, by SQL text, evicting the least recently used beyond a
/// capacity (applications have a bounded set of statements, but `IN (...)` lists of varying length
/// can mint new ones).
struct StatementCache<Statement> {
    private final class Entry {
        let statement: Statement
        var lastUse: UInt64

        init(statement: Statement, lastUse: UInt64) {
            self.statement = statement
            self.lastUse = lastUse
        }
    }

    let capacity: Int
    private var entries: [String: Entry] = [:]
    private var clock: UInt64 = 0

    init(capacity: Int) {
        self.capacity = max(0, capacity)
    }

    /// The statement prepared for `text`, marking it as recently used.
    subscript(text: String) -> Statement? {
        mutating get {
            guard let entry = entries[text] else { return nil }
            clock += 1
            entry.lastUse = clock
            return entry.statement
        }
    }

    /// Adds a statement; returns the one evicted to make room, which the caller must finalize.
    mutating func insert(_ statement: Statement, for text: String) -> Statement? {
        clock += 1
        var evicted: Statement?
        if entries.count >= capacity, let oldest = entries.min(by: { $0.value.lastUse < $1.value.lastUse }) {
            evicted = oldest.value.statement
            entries[oldest.key] = nil
        }
        entries[text] = Entry(statement: statement, lastUse: clock)
        return evicted
    }

    /// Forgets every statement and returns them, for the caller to finalize.
    @discardableResult
    mutating func removeAll() -> [Statement] {
        let all = entries.values.map(\.statement)
        entries = [:]
        return all
    }
}
