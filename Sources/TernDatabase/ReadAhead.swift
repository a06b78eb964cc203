import Synchronization

/// Reads that wait to travel with the next statement sent through ``query(_:on:)``, so that they
/// cost no round trip of their own: a request that knows early what it will read (the item its
/// path names) adds the statement, and the statement it has to send first anyway (its caller's
/// user) takes it along, on PostgreSQL in the same pipeline.
///
/// ```swift
/// let item = readAhead.add(items.find(id: id))      // nothing sent yet
/// let user = try await readAhead.query(users.find(id: userID), on: database)   // both, one round trip
/// let found = try await item.value(on: database)    // already here; sent now if nothing took it
/// ```
///
/// What travels together succeeds or fails together (``Queryable/query(batch:)``), so add only
/// reads that cannot fail on their own: a lookup by key, not a statement that may violate a
/// constraint. Each read is sent at most once.
public final class ReadAhead: Sendable {
    private let waiting = Mutex<[any WaitingRead]>([])

    public init() {}

    /// Adds `statement` to the reads waiting for the next ``query(_:on:)``.
    public func add<Value: Sendable>(_ statement: Statement<Value>) -> Read<Value> {
        let read = Read(statement)
        waiting.withLock { $0.append(read) }
        return read
    }

    /// Runs `statement` on `queryable`, with every read still waiting after it, in one round trip.
    /// A failure of the batch is thrown here, and leaves the reads to run on their own.
    public func query<Value>(_ statement: Statement<Value>, on queryable: some Queryable) async throws -> Value {
        let reads = waiting.withLock { waiting in
            defer { waiting = [] }
            return waiting
        }
        let results = try await queryable.query(batch: [statement.sql] + reads.map(\.sql))
        for (read, result) in zip(reads, results.dropFirst()) { read.arrived(result) }
        return try statement.read(results[0])
    }
}

extension ReadAhead {
    /// A statement added to a ``ReadAhead``, and what it returned once it has travelled.
    public final class Read<Value: Sendable>: Sendable {
        private let statement: Statement<Value>
        private let result = Mutex<Result<Value, any Error>?>(nil)

        init(_ statement: Statement<Value>) {
            self.statement = statement
        }

        /// What the statement returned if it travelled with another; otherwise it runs now, on
        /// `queryable`.
        public func value(on queryable: some Queryable) async throws -> Value {
            if let arrived = try arrived() { return arrived }
            return try await queryable.query(together: statement)
        }

        /// What the statement returned if it travelled with another; `nil` if it has not travelled.
        public func arrived() throws -> Value? {
            try result.withLock { $0 }?.get()
        }
    }
}

/// A read waiting in a ``ReadAhead``, whatever its value's type.
private protocol WaitingRead: Sendable {
    var sql: SQL { get }
    func arrived(_ result: QueryResult)
}

extension ReadAhead.Read: WaitingRead {
    var sql: SQL { statement.sql }

    /// Keeps what `result` becomes; a decoding error is kept too, for ``value(on:)`` to throw.
    func arrived(_ result: QueryResult) {
        let value = Result { try statement.read(result) }
        self.result.withLock { $0 = value }
    }
}
