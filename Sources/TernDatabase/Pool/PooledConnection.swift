/// A connection to one database as the pool sees it, lent to one task at a time, whose calls are
/// sequential. The two status properties, ``isReusable`` and ``hasFailedTransaction``, only read the
/// connection's state in memory, so the pool reads them where it is, between calls.
///
/// How a statement waits is the connection's business: a PostgreSQL connection sends it without
/// blocking and waits on an I/O loop with every other connection; a SQLite one (a
/// ``ThreadBoundConnection``) runs its blocking calls on one of the pool's ``BlockingThreads``.
/// Either way no blocking C call runs on a NIO event loop or a Swift concurrency thread.
///
/// Implementations are `@unchecked Sendable`: the pool moves a connection between tasks, but only
/// ever lends it to one.
protocol PooledConnection: AnyObject, Sendable {
    /// Set by the pool when it lends out a connection that sat idle, so that the next call first checks
    /// whether the server dropped it meanwhile (a restart, an idle timeout) and reconnects if so.
    var shouldCheckLiveness: Bool { get set }

    /// Runs one statement with bound values; `threads` are the pool's, for any blocking work.
    ///
    /// - Parameter allowWrites: when `false`, a statement that would write is not run; SQLite reader
    ///   connections throw ``WriteNotAllowed`` instead, PostgreSQL ignores the flag (the server enforces
    ///   read-only transactions itself).
    func run(_ text: String, bindings: [DatabaseValue], allowWrites: Bool, threads: BlockingThreads) async throws -> QueryResult

    /// Runs several statements without bound values (a migration file, a `COMMIT`).
    func runScript(_ text: String, threads: BlockingThreads) async throws

    /// Runs `control` (a `BEGIN`), then one statement; a connection to a server sends both at
    /// once. `control` succeeded when this returns or throws a ``StatementFailedAfterControl``.
    func run(
        after control: String, _ text: String, bindings: [DatabaseValue], allowWrites: Bool, threads: BlockingThreads
    ) async throws -> QueryResult

    /// Whether the connection can go back to the pool: not broken, not inside a transaction.
    var isReusable: Bool { get }

    /// Whether the open transaction failed (PostgreSQL aborts it at the first error, and would
    /// answer a later `COMMIT` by rolling back without complaint).
    var hasFailedTransaction: Bool { get }

    /// Closes the connection (it may block: the pool calls it on its threads); it is not used again.
    func close()
}

/// A connection whose every call blocks (SQLite's): the pool's async calls run them on one of its
/// ``BlockingThreads``, by at most one thread at a time.
protocol ThreadBoundConnection: PooledConnection {
    func run(_ text: String, bindings: [DatabaseValue], allowWrites: Bool) throws -> QueryResult
    func runScript(_ text: String) throws
}

extension ThreadBoundConnection {
    func run(_ text: String, bindings: [DatabaseValue], allowWrites: Bool, threads: BlockingThreads) async throws -> QueryResult {
        try await threads.run { try self.run(text, bindings: bindings, allowWrites: allowWrites) }
    }

    func runScript(_ text: String, threads: BlockingThreads) async throws {
        try await threads.run { try self.runScript(text) }
    }

    func run(
        after control: String, _ text: String, bindings: [DatabaseValue], allowWrites: Bool, threads: BlockingThreads
    ) async throws -> QueryResult {
        try await threads.run {
            try self.runScript(control)
            do {
                return try self.run(text, bindings: bindings, allowWrites: allowWrites)
            } catch {
                throw StatementFailedAfterControl(underlying: error)
            }
        }
    }
}

/// The statement of ``PooledConnection/run(after:_:bindings:allowWrites:threads:)`` failed after its
/// control statement succeeded (so a transaction is open and must be ended).
struct StatementFailedAfterControl: Error {
    let underlying: any Error
}

/// Thrown by a SQLite reader connection asked to run a statement that writes; the caller reroutes
/// the statement to the writer or reports a write in a read-only transaction.
struct WriteNotAllowed: Error {}

/// Opens connections for a pool; one per database kind.
protocol ConnectionFactory: Sendable {
    /// The SQL dialect of the connections.
    var dialect: SQLDialect { get }

    /// Opens a connection (blocking).
    func connect(role: ConnectionRole) throws -> any PooledConnection

    /// Stops what the connections shared (PostgreSQL's I/O loops), once the pool has closed them all.
    func shutdown() async
}

/// What a pool's connections are for. PostgreSQL uses one pool for both; SQLite has many readers and
/// a single writer, which is how concurrent requests never see `SQLITE_BUSY`.
enum ConnectionRole: Sendable {
    case reader
    case writer
}
