import Foundation
import Logging
import ServiceLifecycle
import Synchronization

/// A PostgreSQL or SQLite database behind one API: bound parameters, typed rows, transactions with
/// savepoints, a bounded connection pool, and classified errors.
///
/// ```swift
/// let database = Database(DatabaseConfiguration(url: try DatabaseURL("sqlite://data/app.sqlite")))
/// let items = try await database.query(
///     "SELECT id, title FROM item WHERE owner_id = \(ownerID)", as: ItemRow.self)
/// try await database.transaction { transaction in
///     try await transaction.execute("UPDATE item SET title = \(title) WHERE id = \(id)")
/// }
/// ```
///
/// No libpq or sqlite3 call blocks a NIO event loop or a Swift concurrency thread: an async caller
/// suspends until its statement is done. On PostgreSQL, statements are sent without blocking and
/// their results awaited on I/O threads of the database's own, one per core, each watching many
/// connections' sockets; connecting runs on threads of its own. On SQLite, every call runs on the
/// database's threads: one per core, at least two and at most `maxConnections`, for reads, and one
/// for writes.
///
/// On SQLite, reads run concurrently on up to `maxConnections` reader connections (as many at once as
/// there are reader threads), and writes go one at a time through a single writer connection. A statement run directly on the database is routed by
/// what it does (SQLite tells whether a prepared statement writes); a transaction is routed by its
/// ``TransactionMode``.
///
/// As a `Service`, the database closes its connections when the service group shuts down.
public final class Database: Queryable, Service {
    /// Where the database is.
    public let url: DatabaseURL
    public var dialect: SQLDialect { url.dialect }

    private let readers: ConnectionPool
    private let writer: ConnectionPool
    /// SQL texts SQLite reported as writes, so they go straight to the writer next time.
    private let writeStatements = Mutex(Set<String>())
    private let logger: Logger
    private let shutdownTimeout: Duration
    /// How to open a connection outside the pool (for `LISTEN`); `nil` on SQLite.
    private let postgresParameters: PostgresConnectionParameters?
    /// The threads that send PostgreSQL statements and wait for their answers; `nil` on SQLite.
    let ioLoops: PostgresIOLoops?
    /// Listeners started with ``notifications(on:)``, stopped when the database closes.
    private let listeners = Mutex<[PostgresListener]>([])

    /// Creates the pools; no connection opens until the first statement.
    public init(_ configuration: DatabaseConfiguration, logger: Logger = Logger(label: "tern.database")) {
        self.url = configuration.url
        self.logger = logger
        self.shutdownTimeout = configuration.shutdownTimeout
        let limits = ConnectionPool.Limits(
            maxConnections: configuration.maxConnections, acquireTimeout: configuration.acquireTimeout)
        switch configuration.url.location {
        case .postgres(let url):
            let parameters = PostgresConnectionParameters(
                url: url, connectTimeoutSeconds: max(1, Int(configuration.connectTimeout.components.seconds)))
            postgresParameters = parameters
            // Statements wait on the network in I/O loops, one per core, each watching many connections'
            // sockets. The pool's threads only connect, reconnect and close: one per connection, so
            // that connecting to a server that does not answer holds up no other connection.
            let cores = ProcessInfo.processInfo.activeProcessorCount
            let loops = PostgresIOLoops(count: min(cores, configuration.maxConnections))
            ioLoops = loops
            let factory = PostgresConnectionFactory(
                parameters: parameters, statementCacheCapacity: configuration.statementCacheCapacity,
                planCacheMode: configuration.planCacheMode, loops: loops)
            readers = ConnectionPool(
                role: .writer, limits: limits, factory: factory, threadCount: configuration.maxConnections, logger: logger)
            writer = readers
        case .sqlite(let path):
            postgresParameters = nil
            ioLoops = nil
            let factory = SQLiteConnectionFactory(
                path: path, busyTimeout: configuration.sqliteBusyTimeout,
                statementCacheCapacity: configuration.statementCacheCapacity)
            // A SQLite read is CPU work on cached pages: more threads than cores would only take turns.
            let cores = ProcessInfo.processInfo.activeProcessorCount
            readers = ConnectionPool(
                role: .reader, limits: limits, factory: factory,
                threadCount: min(configuration.maxConnections, max(2, cores)), logger: logger)
            var writerLimits = limits
            writerLimits.maxConnections = 1
            writer = ConnectionPool(role: .writer, limits: writerLimits, factory: factory, threadCount: 1, logger: logger)
        }
    }

    // MARK: Statements

    /// Runs statements on one connection in their own implicit transaction (see
    /// ``Queryable/query(batch:)``).
    public func query(batch: [SQL]) async throws -> [QueryResult] {
        guard !batch.isEmpty else { return [] }
        // One pool on PostgreSQL: nothing to route.
        guard writer !== readers else { return try await withLease(readers) { try await $0.run(batch, allowWrites: true) } }
        // On SQLite, statements that write go to the writer; a reader finds out by refusing them.
        let text = batch.map { $0.text(for: dialect) }.joined(separator: ";\n")
        if writeStatements.withLock({ $0.contains(text) }) {
            return try await withLease(writer) { try await $0.run(batch, allowWrites: true) }
        }
        do {
            return try await withLease(readers) { try await $0.run(batch, allowWrites: true) }
        } catch is WriteNotAllowed {
            writeStatements.withLock { known in
                if known.count >= 10_000 { known.removeAll() }
                known.insert(text)
            }
            return try await withLease(writer) { try await $0.run(batch, allowWrites: true) }
        }
    }

    // MARK: Transactions and connections

    /// Runs `body` in a transaction: committed when `body` returns, rolled back when it throws.
    ///
    /// Use `.readOnly` for transactions that only read: on SQLite they run concurrently, while
    /// read-write transactions take turns on the writer connection.
    public func transaction<T>(
        _ mode: TransactionMode = .readWrite, _ body: (Transaction) async throws -> T
    ) async throws -> T {
        try await withLease(pool(for: mode)) { lease in
            try await lease.withTransaction(mode, body)
        }
    }

    /// Holds one connection for the duration of `body`.
    public func withConnection<T>(
        _ mode: TransactionMode = .readWrite, _ body: (DatabaseConnection) async throws -> T
    ) async throws -> T {
        try await withLease(pool(for: mode)) { lease in
            try await body(DatabaseConnection(lease: lease, mode: mode))
        }
    }

    /// A task executor on one of the database's I/O threads, a different one at each call; `nil` on
    /// SQLite, whose calls block and run on threads of their own.
    ///
    /// Code that runs many statements one after another (a batch job, a report, a load test) can
    /// prefer it:
    ///
    /// ```swift
    /// try await withTaskExecutorPreference(database.statementExecutor) {
    ///     for id in ids { try await database.execute("UPDATE item SET seen = true WHERE id = \(id)") }
    /// }
    /// ```
    ///
    /// Each statement is then sent by the thread that waits for its answer, and the answer resumes
    /// the task right there, as pgbench runs its clients: no hand-off to the I/O thread and back per
    /// statement. The code between statements runs on that thread too, holding up the other
    /// connections it serves meanwhile, so keep it short, as on a NIO event loop.
    public var statementExecutor: (any TaskExecutor)? {
        ioLoops?.assign()
    }

    /// What each connection pool is doing now, for metrics.
    public var poolStatistics: [PoolStatistics] {
        writer === readers
            ? [readers.statistics(named: "connections")] : [readers.statistics(named: "readers"), writer.statistics(named: "writer")]
    }

    func pool(for mode: TransactionMode) -> ConnectionPool {
        mode == .readWrite ? writer : readers
    }

    private func withLease<T>(_ pool: ConnectionPool, _ body: (Lease) async throws -> T) async throws -> T {
        try await Lease.with(pool, dialect: dialect, body)
    }

    // MARK: Notifications

    /// PostgreSQL's `LISTEN` on `channel`, on a connection of its own (not one of the pool's) that
    /// reconnects when it drops; `nil` on SQLite, which has no notifications. Listening stops when the
    /// stream is dropped or the database closes.
    ///
    /// A `NOTIFY` sent in a transaction is delivered when it commits, and not at all if it rolls back.
    public func notifications(on channel: String) -> AsyncStream<DatabaseNotification>? {
        guard let postgresParameters else { return nil }
        let listener = PostgresListener(parameters: postgresParameters, channel: channel, logger: logger)
        listeners.withLock { $0.append(listener) }
        return listener.start()
    }

    // MARK: Lifecycle

    /// Runs a trivial query: returns when the database answers, throws when it does not.
    public func ping() async throws {
        _ = try await query("SELECT 1")
    }

    /// Waits until a trivial query succeeds, retrying with exponential backoff for at most `timeout`
    /// (PostgreSQL may still be starting, as in `docker compose up`); then throws the last error.
    public func waitUntilReachable(timeout: Duration) async throws {
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        var delay = Duration.milliseconds(200)
        var attempt = 1
        while true {
            do {
                try await ping()
                return
            } catch let error as DatabaseError
                where dialect == .postgres && (error.kind == .connectionFailed || error.kind == .connectionLost)
            {
                guard clock.now + delay < deadline else {
                    throw DatabaseError(
                        .connectionFailed,
                        "could not reach the database at \(url.redacted) after \(attempt) attempts: \(error.message)")
                }
                logger.warning(
                    "database not reachable yet, retrying",
                    metadata: ["attempt": "\(attempt)", "retry_in": "\(delay)", "error": "\(error.message)"])
                try await Task.sleep(for: delay)
                delay = min(delay * 2, .seconds(5))
                attempt += 1
            }
        }
    }

    /// Refuses new work, waits for lent connections to come back (at most the configuration's
    /// `shutdownTimeout`), closes them, and stops the threads.
    public func close() async {
        for listener in listeners.withLock({ $0 }) { listener.stop() }
        await readers.close(timeout: shutdownTimeout)
        if writer !== readers { await writer.close(timeout: shutdownTimeout) }
    }

    /// Runs until graceful shutdown, then closes the database (after the HTTP server, which is
    /// registered later in the service group and so stops first).
    public func run() async throws {
        try? await gracefulShutdown()
        await close()
    }
}
