import Synchronization
import Tracing

/// A connection lent to one task, from acquire to release: runs statements on the connection, opens
/// transactions and savepoints, and refuses use after release or from two tasks at once.
final class Lease: Sendable {
    fileprivate struct State {
        var isReleased = false
        var isBusy = false
        var transactionDepth = 0
        /// The database ended the open transaction by itself after an error (SQLite rolls back the
        /// whole transaction on some errors: FULL, IOERR, NOMEM, BUSY, `RAISE(ROLLBACK)`).
        var transactionLost = false
    }

    let connection: any PooledConnection
    let dialect: SQLDialect
    let pool: ConnectionPool
    fileprivate let state = Mutex(State())

    init(connection: any PooledConnection, dialect: SQLDialect, pool: ConnectionPool) {
        self.connection = connection
        self.dialect = dialect
        self.pool = pool
    }

    /// Borrows a connection from `pool`, runs `body` with it, and returns it, whatever happens.
    static func with<T>(
        _ pool: ConnectionPool, dialect: SQLDialect, _ body: (Lease) async throws -> T
    ) async throws -> T {
        let lease = Lease(connection: try await pool.acquire(), dialect: dialect, pool: pool)
        defer { lease.release() }
        return try await body(lease)
    }

    func release() {
        let wasReleased = state.withLock { state in
            defer { state.isReleased = true }
            return state.isReleased
        }
        if !wasReleased { pool.release(connection) }
    }

    // MARK: Running statements

    /// Runs statements together (see ``PooledConnection/run(_:after:allowWrites:threads:)``); on a
    /// SQLite reader connection a write throws ``WriteNotAllowed``.
    func run(_ batch: [SQL], allowWrites: Bool) async throws -> [QueryResult] {
        guard !batch.isEmpty else { return [] }
        let statements = batch.map { BoundStatement($0, dialect: dialect) }
        return try await withStatementSpan(statements) {
            try await perform(statements: batch.count) { connection, threads in
                try await connection.run(statements, after: nil, allowWrites: allowWrites, threads: threads)
            }
        }
    }

    /// A client span per round trip for the tracer the process bootstrapped (none by default: then
    /// nothing is recorded), as ``StatementSpan`` describes it: the statements' text has placeholders,
    /// never the bound values.
    private func withStatementSpan<T>(_ statements: [BoundStatement], _ body: () async throws -> T) async throws -> T {
        // With no tracer bootstrapped (the default) there is nothing to record: no span to name, no
        // tracer to look up and no context to bind, on every statement.
        if InstrumentationSystem.instrument is NoOpInstrument { return try await body() }
        let description = StatementSpan(statements)
        return try await withSpan(description.name, ofKind: .client) { span in
            // A span the tracer does not sample records nothing: its attributes would be dropped.
            if span.isRecording {
                span.attributes["db.system.name"] = dialect == .postgres ? "postgresql" : "sqlite"
                span.attributes["db.operation.name"] = description.name
                span.attributes["db.query.text"] = description.text
                if let size = description.batchSize { span.attributes["db.operation.batch.size"] = size }
            }
            return try await body()
        }
    }

    /// Runs statements for a transaction or pinned connection of the given mode; a write where only
    /// reads are allowed is a ``DatabaseError/Kind-swift.enum/readOnlyTransaction``.
    func run(_ batch: [SQL], mode: TransactionMode) async throws -> [QueryResult] {
        do {
            return try await run(batch, allowWrites: mode == .readWrite)
        } catch is WriteNotAllowed {
            throw DatabaseError(.readOnlyTransaction, "cannot run a statement that writes in a read-only transaction")
        }
    }

    /// Runs a multi-statement script: `statements` says how many it holds, for ``QueryTimings``.
    func runScript(_ script: String, statements: Int = 1) async throws {
        try await perform(statements: statements) { connection, threads in
            try await connection.runScript(script, threads: threads)
        }
    }

    /// Runs one round trip's `job` on the connection, counted and timed in the task's
    /// ``QueryTimings`` (if it has one) as one round trip of `statements` statements.
    fileprivate func perform<T: Sendable>(
        statements: Int, _ job: (any PooledConnection, BlockingThreads) async throws -> T
    ) async throws -> T {
        try state.withLock { state in
            guard !state.isReleased else {
                throw DatabaseError(.closed, "this transaction or connection was used after it ended")
            }
            guard !state.isBusy else {
                throw DatabaseError(.other, "a transaction or connection was used by two tasks at once")
            }
            // Statements after a lost transaction would run on their own, each committed at once.
            guard !state.transactionLost else { throw Self.lostTransaction }
            state.isBusy = true
        }
        defer { state.withLock { $0.isBusy = false } }
        // Timed only for a task that asks (`Server-Timing`): otherwise no clock is read. A use
        // refused above sent nothing, and is not counted.
        let timings = QueryTimings.current
        let start = timings.map { _ in ContinuousClock.now }
        defer { if let timings, let start { timings.record(ContinuousClock.now - start, statements: statements) } }
        do {
            let result = try await job(connection, pool.threads)
            pool.incidents.succeeded()
            return result
        } catch {
            pool.incidents.failed(error)
            noteIfTransactionLost()
            throw error
        }
    }

    /// After a failed statement: whether the database rolled back the transaction we believe open,
    /// leaving a healthy connection outside any transaction. (A broken connection is not that: its
    /// own errors say what happened.)
    private func noteIfTransactionLost() {
        let endedByDatabase = connection.isReusable
        state.withLock { state in
            if state.transactionDepth > 0 && endedByDatabase { state.transactionLost = true }
        }
    }

    private var transactionLost: Bool {
        state.withLock { $0.transactionLost }
    }

    // MARK: Transactions

    /// Runs `body` in a transaction (or, when one is already open, a savepoint): committed when `body`
    /// returns, rolled back when it throws.
    func withTransaction<T>(_ mode: TransactionMode, _ body: (Transaction) async throws -> T) async throws -> T {
        let depth = state.withLock { $0.transactionDepth }
        let statements = TransactionStatements(dialect: dialect, mode: mode, depth: depth)
        try await runScript(statements.begin)
        state.withLock { $0.transactionDepth += 1 }
        defer { state.withLock { $0.transactionDepth -= 1 } }
        do {
            let value = try await body(Transaction(lease: self, mode: mode))
            if transactionLost { throw Self.lostTransaction }
            if depth == 0 && connection.hasFailedTransaction { throw Self.failedTransaction }
            try await runScript(statements.commit)
            return value
        } catch {
            // If the rollback fails too, the connection is broken or still in a transaction, and the
            // pool closes it instead of reusing it. A lost transaction has nothing left to roll back.
            if !transactionLost { try? await rollBack(statements) }
            if depth == 0 { state.withLock { $0.transactionLost = false } }
            throw error
        }
    }
}

extension Lease {
    /// Opens the outermost transaction and runs the first statements in it, in one round trip where
    /// the database allows (a request's session begins this way).
    func begin(_ mode: TransactionMode, with batch: [SQL]) async throws -> [QueryResult] {
        let begin = TransactionStatements(dialect: dialect, mode: mode, depth: 0).begin
        let statements = batch.map { BoundStatement($0, dialect: dialect) }
        do {
            let results = try await perform(statements: 1 + batch.count) { connection, threads in
                try await connection.run(statements, after: begin, allowWrites: mode == .readWrite, threads: threads)
            }
            state.withLock { $0.transactionDepth = 1 }
            return results
        } catch let failure as StatementFailedAfterControl {
            state.withLock { $0.transactionDepth = 1 }
            throw failure.underlying
        }
    }

    /// Opens the outermost transaction with no statement to run in it yet.
    func begin(_ mode: TransactionMode) async throws {
        try await runScript(TransactionStatements(dialect: dialect, mode: mode, depth: 0).begin)
        state.withLock { $0.transactionDepth = 1 }
    }

    /// Whether ``begin(_:with:)`` opened a transaction that has not ended.
    var isInTransaction: Bool {
        state.withLock { $0.transactionDepth > 0 }
    }

    /// Ends what ``begin(_:with:)`` opened: commits, or rolls back. Committing a transaction in which
    /// a statement failed (its error caught and ignored) rolls back and throws, rather than report
    /// success for changes PostgreSQL discarded.
    func end(commit: Bool) async throws {
        let statements = TransactionStatements(dialect: dialect, mode: .readWrite, depth: 0)
        let wasLost = state.withLock { state in
            defer { (state.transactionDepth, state.transactionLost) = (0, false) }
            return state.transactionLost
        }
        if wasLost {
            if commit { throw Self.lostTransaction }
            return
        }
        if commit && connection.hasFailedTransaction {
            try await rollBack(statements)
            throw Self.failedTransaction
        }
        if commit {
            try await runScript(statements.commit)
        } else {
            try await rollBack(statements)
        }
    }

    /// Runs `statements`' rollback, counted as the statements it holds.
    fileprivate func rollBack(_ statements: TransactionStatements) async throws {
        try await runScript(statements.rollback, statements: statements.rollbackCount)
    }
}

extension Lease {
    /// Committing a PostgreSQL transaction in which a statement failed only rolls it back; saying so.
    fileprivate static var failedTransaction: DatabaseError {
        DatabaseError(.other, "the transaction was rolled back: a statement in it had failed")
    }

    /// The database rolled the whole transaction back by itself after an error in it.
    fileprivate static var lostTransaction: DatabaseError {
        DatabaseError(.other, "the transaction was rolled back by the database after an error in it; nothing in it was stored")
    }
}

/// The statements that open and close a transaction or, nested, a savepoint.
private struct TransactionStatements {
    let begin: String
    let commit: String
    let rollback: String
    /// How many statements `rollback` is (two for a savepoint's), for ``QueryTimings``.
    let rollbackCount: Int

    init(dialect: SQLDialect, mode: TransactionMode, depth: Int) {
        guard depth == 0 else {
            let name = "tern_savepoint_\(depth)"
            begin = "SAVEPOINT \(name)"
            commit = "RELEASE SAVEPOINT \(name)"
            rollback = "ROLLBACK TO SAVEPOINT \(name); RELEASE SAVEPOINT \(name)"
            rollbackCount = 2
            return
        }
        switch (dialect, mode) {
        case (.postgres, .readWrite): begin = "BEGIN"
        case (.postgres, .readOnly): begin = "BEGIN READ ONLY"
        case (.sqlite, .readWrite): begin = "BEGIN IMMEDIATE"
        case (.sqlite, .readOnly): begin = "BEGIN DEFERRED"
        }
        commit = "COMMIT"
        rollback = "ROLLBACK"
        rollbackCount = 1
    }
}
