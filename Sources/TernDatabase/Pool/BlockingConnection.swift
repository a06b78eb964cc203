/// A connection to one database as the pool sees it: every method blocks, and is called on one of
/// the ``BlockingThreads`` by at most one thread at a time. The two status properties,
/// ``isReusable`` and ``hasFailedTransaction``, only read the connection's state in memory, so the
/// pool reads them where it is, between calls.
///
/// Implementations are `@unchecked Sendable`: the pool moves a connection between threads, but only
/// ever lends it to one task, whose calls are sequential.
protocol BlockingConnection: AnyObject, Sendable {
    /// Set by the pool when it lends out a connection that sat idle, so that the next call first checks
    /// whether the server dropped it meanwhile (a restart, an idle timeout) and reconnects if so.
    var shouldCheckLiveness: Bool { get set }

    /// Runs one statement with bound values.
    ///
    /// - Parameter allowWrites: when `false`, a statement that would write is not run; SQLite reader
    ///   connections throw ``WriteNotAllowed`` instead, PostgreSQL ignores the flag (the server enforces
    ///   read-only transactions itself).
    func run(_ text: String, bindings: [DatabaseValue], allowWrites: Bool) throws -> QueryResult

    /// Runs several statements without bound values (a migration file).
    func runScript(_ text: String) throws

    /// Runs `control` (a `BEGIN`), then one statement; a connection to a server may send both at
    /// once. `control` succeeded when this returns or throws a ``StatementFailedAfterControl``.
    func run(after control: String, _ text: String, bindings: [DatabaseValue], allowWrites: Bool) throws -> QueryResult

    /// Whether the connection can go back to the pool: not broken, not inside a transaction.
    var isReusable: Bool { get }

    /// Whether the open transaction failed (PostgreSQL aborts it at the first error, and would
    /// answer a later `COMMIT` by rolling back without complaint).
    var hasFailedTransaction: Bool { get }

    /// Closes the connection; it is not used again.
    func close()
}

extension BlockingConnection {
    func run(after control: String, _ text: String, bindings: [DatabaseValue], allowWrites: Bool) throws -> QueryResult {
        try runScript(control)
        do {
            return try run(text, bindings: bindings, allowWrites: allowWrites)
        } catch {
            throw StatementFailedAfterControl(underlying: error)
        }
    }
}

/// The statement of ``BlockingConnection/run(after:_:bindings:allowWrites:)`` failed after its
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
    func connect(role: ConnectionRole) throws -> any BlockingConnection
}

/// What a pool's connections are for. PostgreSQL uses one pool for both; SQLite has many readers and
/// a single writer, which is how concurrent requests never see `SQLITE_BUSY`.
enum ConnectionRole: Sendable {
    case reader
    case writer
}
