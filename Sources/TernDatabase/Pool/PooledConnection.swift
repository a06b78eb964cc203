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

    /// Runs statements in order, after `control` (a `BEGIN`) when given, in one round trip where the
    /// connection talks to a server; `threads` are the pool's, for any blocking work.
    ///
    /// Outside a transaction the statements succeed or fail together, as one implicit transaction;
    /// inside one they are part of it. The first failure is thrown and the statements after it do
    /// not run. With `control`, a failure after it succeeded is a ``StatementFailedAfterControl``.
    ///
    /// - Parameter allowWrites: when `false`, a statement that would write is not run; SQLite reader
    ///   connections throw ``WriteNotAllowed`` instead, PostgreSQL ignores the flag (the server enforces
    ///   read-only transactions itself).
    func run(
        _ statements: [BoundStatement], after control: String?, allowWrites: Bool, threads: BlockingThreads
    ) async throws -> [QueryResult]

    /// Runs several statements without bound values (a migration file, a `COMMIT`).
    func runScript(_ text: String, threads: BlockingThreads) async throws

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
    /// Whether a transaction is open on the connection.
    var isInTransaction: Bool { get }
    /// What the connection is for: a writer takes the write lock when its transaction begins.
    var role: ConnectionRole { get }
}

extension ThreadBoundConnection {
    func run(
        _ statements: [BoundStatement], after control: String?, allowWrites: Bool, threads: BlockingThreads
    ) async throws -> [QueryResult] {
        try await threads.run {
            guard let control else { return try self.runTogether(statements, allowWrites: allowWrites) }
            try self.runScript(control)
            do {
                return try self.runTogether(statements, allowWrites: allowWrites)
            } catch {
                throw StatementFailedAfterControl(underlying: error)
            }
        }
    }

    func runScript(_ text: String, threads: BlockingThreads) async throws {
        try await threads.run { try self.runScript(text) }
    }

    /// Runs the statements one by one; several outside a transaction get one of their own, so that
    /// they succeed or fail together as they do on a server.
    private func runTogether(_ statements: [BoundStatement], allowWrites: Bool) throws -> [QueryResult] {
        guard statements.count > 1, !isInTransaction else {
            return try statements.map { try run($0.text, bindings: $0.bindings, allowWrites: allowWrites) }
        }
        try runScript(role == .writer ? "BEGIN IMMEDIATE" : "BEGIN DEFERRED")
        do {
            let results = try statements.map { try run($0.text, bindings: $0.bindings, allowWrites: allowWrites) }
            try runScript("COMMIT")
            return results
        } catch {
            if isInTransaction { try? runScript("ROLLBACK") }
            throw error
        }
    }
}

/// A statement as a connection receives it: its text in the connection's dialect and the values
/// bound to its placeholders.
struct BoundStatement: Sendable {
    let text: String
    let bindings: [DatabaseValue]

    init(_ sql: SQL, dialect: SQLDialect) {
        text = sql.text(for: dialect)
        bindings = sql.bindings
    }
}

/// A statement of ``PooledConnection/run(_:after:allowWrites:threads:)`` failed after its control
/// statement succeeded (so a transaction is open and must be ended).
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
