import CLibPQ
import Foundation

/// One libpq connection, in non-blocking mode: statements are sent and their results awaited on a
/// ``PostgresIOLoop``, which waits for many connections' sockets at once, so no thread sleeps in a
/// libpq call while a statement runs. Connecting and reconnecting, which libpq only offers blocking,
/// run on the pool's ``BlockingThreads``.
///
/// Statements are prepared once per connection and reused: the first use sends `Parse` and
/// `Execute` together in one round trip (libpq's pipeline mode), later ones only `Execute`, so the
/// server parses and plans each distinct query once. A statement the cache lets go is dropped on the
/// server too: at once, or, inside a failed transaction (which refuses every command), as soon as
/// that transaction ends.
final class PostgresConnection: PooledConnection, @unchecked Sendable {
    private let handle: OpaquePointer
    private let loops: PostgresIOLoops
    /// The loop that runs this connection's statements for callers on no loop.
    private let assignedLoop: PostgresIOLoop
    /// A task running on a loop (``Database/statementExecutor``) has its statements run there.
    private var loop: PostgresIOLoop { loops.current ?? assignedLoop }
    private var statements: StatementCache<PostgresPreparedStatement>
    private var nextStatementNumber = 0
    /// Prepared statements to drop once the failed transaction that kept us from it has ended.
    private var pendingDeallocations: [String] = []
    private var isClosed = false
    private let planCacheMode: PostgresPlanCacheMode
    var shouldCheckLiveness = false

    /// Connects (blocking) with libpq connection parameters.
    init(
        parameters: PostgresConnectionParameters, statementCacheCapacity: Int, planCacheMode: PostgresPlanCacheMode,
        loops: PostgresIOLoops
    ) throws {
        guard let handle = parameters.connect() else {
            throw DatabaseError(.connectionFailed, "out of memory while connecting to PostgreSQL")
        }
        self.handle = handle
        self.loops = loops
        self.assignedLoop = loops.assign()
        self.statements = StatementCache(capacity: statementCacheCapacity)
        self.planCacheMode = planCacheMode
        guard PQstatus(handle) == CONNECTION_OK else {
            let message = PostgresErrorMapping.lastMessage(handle)
            close()
            throw DatabaseError(.connectionFailed, "could not connect to PostgreSQL: \(message)")
        }
        // Notices ("relation already exists, skipping") would otherwise go to stderr.
        PQsetNoticeProcessor(handle, { _, _ in }, nil)
        try configureSession()
    }

    deinit {
        if !isClosed { PQfinish(handle) }
    }

    // MARK: PooledConnection

    var isReusable: Bool {
        PQstatus(handle) == CONNECTION_OK && PQtransactionStatus(handle) == PQTRANS_IDLE
            && PQpipelineStatus(handle) == PQ_PIPELINE_OFF
    }

    var hasFailedTransaction: Bool {
        PQtransactionStatus(handle) == PQTRANS_INERROR
    }

    func close() {
        guard !isClosed else { return }
        isClosed = true
        PQfinish(handle)
    }

    /// Sends `control` and every statement at once, with one sync point after them: one round trip
    /// (the `BEGIN` of a unit of work costs no extra wait), and one implicit transaction outside an
    /// explicit one.
    func run(
        _ statements: [BoundStatement], after control: String?, allowWrites: Bool, threads: BlockingThreads
    ) async throws -> [QueryResult] {
        try await checkLivenessIfAsked(threads)
        await deallocatePendingIfIdle()
        do {
            return try await runPrepared(statements, after: control)
        } catch {
            guard let invalidated = Self.invalidatedPlan(in: error) else { throw error }
            // "cached plan must not change result type": a table changed under our prepared
            // statements. Forget them all (they would each fail once), then run these again if
            // nothing is lost by it: after our own `BEGIN` nothing had happened yet, so roll it back
            // and start over; inside the caller's transaction, which the error aborted, retrying is
            // for the caller to do.
            if control != nil { try await runSimple("ROLLBACK") }
            await forgetAllStatements()
            guard PQtransactionStatus(handle) == PQTRANS_IDLE else { throw Self.invalidatedPlan(invalidated) }
            return try await runPrepared(statements, after: control)
        }
    }

    func runScript(_ text: String, threads: BlockingThreads) async throws {
        try await checkLivenessIfAsked(threads)
        try await runSimple(text)
        await deallocatePendingIfIdle()
    }

    // MARK: Statements

    /// Runs statements, each prepared (with its `Parse` in the same round trip the first time) unless
    /// caching is off, after `control` when given (then failures of the statements are
    /// ``StatementFailedAfterControl``).
    private func runPrepared(_ statements: [BoundStatement], after control: String? = nil) async throws -> [QueryResult] {
        let steps = try plan(statements)
        let results = try await pipeline(steps, after: control)
        defer { for result in results { PQclear(result) } }
        var outcomes = results.makeIterator()
        if control != nil { _ = try read(outcomes.next()) }
        do {
            var answers: [QueryResult] = []
            answers.reserveCapacity(steps.count)
            // By index: a step is six references, not worth copying to read three.
            for index in steps.indices {
                let statement = steps[index].statement
                if steps[index].parses {
                    _ = try read(outcomes.next())
                    if statement.isNamed { await remember(statement, for: steps[index].text) }
                }
                answers.append(try read(outcomes.next(), of: statement))
            }
            // Outside a transaction block the statements commit at the sync point, and whatever
            // fails there (a deferred constraint) comes after their own results: nothing was stored.
            while let outcome = outcomes.next(), PQresultStatus(outcome) != PGRES_PIPELINE_SYNC {
                _ = try read(outcome)
            }
            return answers
        } catch  where control != nil {
            throw StatementFailedAfterControl(underlying: error)
        }
    }

    /// What to send for each statement: its prepared statement (a new one parsed in this round trip
    /// unless the cache knows its text) and its bound values.
    private func plan(_ statements: [BoundStatement]) throws -> [PreparedStep] {
        let caching = self.statements.capacity > 0
        var preparing: [String: PostgresPreparedStatement] = [:]  // by text, those parsed in this round trip
        var steps: [PreparedStep] = []
        steps.reserveCapacity(statements.count)
        for statement in statements {
            let known = caching ? self.statements[statement.text] ?? preparing[statement.text] : nil
            // With caching off (for example behind PgBouncer in transaction mode): one unnamed statement.
            let prepared = known ?? PostgresPreparedStatement(name: caching ? nextStatementName() : "")
            if known == nil, caching { preparing[statement.text] = prepared }
            steps.append(
                PreparedStep(
                    statement: prepared, text: statement.text, parameters: try PostgresParameters(statement.bindings),
                    parses: known == nil))
        }
        return steps
    }

    /// Sends `control` (when given) and the steps in pipeline mode, with a sync point after them, and
    /// returns the results in order (then the sync point's): one round trip however many commands.
    private func pipeline(_ steps: [PreparedStep], after control: String?) async throws -> [OpaquePointer] {
        let expectedResults = (control == nil ? 0 : 1) + steps.count + steps.count { $0.parses } + 1
        // One closure for the I/O loop, capturing what it sends (a closure wrapping another cost an
        // allocation a round trip).
        let results = try await loop.exchange(on: handle, until: .sync, expectedResults: expectedResults) { connection in
            guard PQenterPipelineMode(connection) == 1 else { return false }
            if let control, PQsendQueryParams(connection, control, 0, nil, nil, nil, nil, 0) != 1 { return false }
            return steps.allSatisfy { $0.send(on: connection) } && PQpipelineSync(connection) == 1
        }
        PQexitPipelineMode(handle)
        return results
    }

    /// Runs statements without bound values through the simple query protocol (several at once, as
    /// a migration needs), throwing the first error.
    private func runSimple(_ text: String) async throws {
        let results = try await loop.exchange(on: handle, until: .null, expectedResults: 1) { PQsendQuery($0, text) == 1 }
        defer { for result in results { PQclear(result) } }
        for result in results { _ = try read(result) }
    }

    /// Caches a prepared statement, dropping the one it evicts from the server too.
    private func remember(_ statement: PostgresPreparedStatement, for text: String) async {
        if let evicted = statements.insert(statement, for: text) {
            await deallocate([evicted.name])
        }
    }

    /// Forgets every prepared statement, here and on the server.
    private func forgetAllStatements() async {
        await deallocate(statements.removeAll().map(\.name))
    }

    /// Drops prepared statements on the server: now, or once a failed transaction has ended.
    private func deallocate(_ names: [String]) async {
        pendingDeallocations += names
        // A failed transaction refuses every command; outside one, or in a healthy one, DEALLOCATE
        // takes effect at once, whatever becomes of the transaction.
        guard !pendingDeallocations.isEmpty, PQtransactionStatus(handle) != PQTRANS_INERROR else { return }
        await deallocatePending()
    }

    private func deallocatePendingIfIdle() async {
        guard !pendingDeallocations.isEmpty, PQtransactionStatus(handle) == PQTRANS_IDLE else { return }
        await deallocatePending()
    }

    private func deallocatePending() async {
        let script = pendingDeallocations.map { "DEALLOCATE \($0)" }.joined(separator: "; ")
        pendingDeallocations = []
        try? await runSimple(script)
    }

    private func nextStatementName() -> String {
        nextStatementNumber += 1
        return "tern_\(nextStatementNumber)"
    }

    /// Reads a result into Swift values, or throws its error; the caller frees it. A missing result
    /// (a pipeline cut short) is the connection's error.
    /// A prepared statement's result reads the columns it remembers from its first (their names and
    /// types cannot change while it is prepared: the server refuses to run it then).
    private func read(_ result: OpaquePointer?, of statement: PostgresPreparedStatement? = nil) throws -> QueryResult {
        guard let result else {
            throw PostgresErrorMapping.error(connection: handle, result: nil)
        }
        switch PQresultStatus(result) {
        case PGRES_COMMAND_OK, PGRES_EMPTY_QUERY:
            return QueryResult(columns: [], values: [], rowsAffected: PostgresResultReader.rowsAffected(result))
        case PGRES_TUPLES_OK:
            let columns = statement?.columns(of: result) ?? PostgresResultReader.columns(of: result)
            return PostgresResultReader.read(result, columns: columns, rowsAffected: PostgresResultReader.rowsAffected(result))
        default:
            throw PostgresErrorMapping.error(connection: handle, result: result)
        }
    }

    /// The "cached plan must not change result type" error behind `error`, if that is what it is.
    private static func invalidatedPlan(in error: any Error) -> DatabaseError? {
        let underlying = (error as? StatementFailedAfterControl)?.underlying ?? error
        guard let error = underlying as? DatabaseError, PostgresErrorMapping.isInvalidatedPlan(error) else { return nil }
        return error
    }

    /// The retryable error a statement gets when a table changed under it inside a transaction.
    private static func invalidatedPlan(_ error: DatabaseError) -> DatabaseError {
        DatabaseError(
            .serializationFailure, "a table changed while the transaction used it (cached plan must not change result type); run it again",
            code: error.code)
    }

    // MARK: Connection health

    /// Fixes the session settings that result parsing relies on, whatever the server's defaults, and
    /// how prepared statements are planned (blocking, while connecting), then puts the connection in
    /// non-blocking mode for the I/O loop.
    private func configureSession() throws {
        let settings =
            "SET DateStyle TO 'ISO'; SET TimeZone TO 'UTC'; SET client_encoding TO 'UTF8'; "
            + "SET plan_cache_mode TO '\(planCacheMode.rawValue)'"
        guard let result = PQexec(handle, settings) else {
            throw PostgresErrorMapping.error(connection: handle, result: nil)
        }
        defer { PQclear(result) }
        _ = try read(result)
        guard PQsetnonblocking(handle, 1) == 0 else { throw PostgresErrorMapping.error(connection: handle, result: nil) }
    }

    /// After the pool lent out a connection that sat idle: reconnects (on a blocking thread) if the
    /// server dropped it.
    private func checkLivenessIfAsked(_ threads: BlockingThreads) async throws {
        guard shouldCheckLiveness else { return }
        shouldCheckLiveness = false
        guard wasDropped else { return }
        try await threads.run { try self.reconnect() }
    }

    /// Whether the server closed the connection while it sat idle (restart, idle timeout).
    ///
    /// An idle connection has nothing to read unless the server said goodbye (a fatal error, then
    /// end-of-file) or sent a rare unsolicited message; either way a fresh connection is the safe answer.
    private var wasDropped: Bool {
        var descriptor = pollfd(fd: PQsocket(handle), events: Int16(POLLIN), revents: 0)
        return poll(&descriptor, 1, 0) > 0 || PQstatus(handle) != CONNECTION_OK
    }

    /// Opens the connection again, so the first query after a restart succeeds instead of failing.
    private func reconnect() throws {
        statements.removeAll()
        pendingDeallocations = []
        PQreset(handle)
        guard PQstatus(handle) == CONNECTION_OK else {
            throw DatabaseError(.connectionFailed, "could not reconnect to PostgreSQL: \(PostgresErrorMapping.lastMessage(handle))")
        }
        try configureSession()
    }
}

/// One statement of a round trip: the prepared statement it executes (parsed first when `parses`),
/// its text, and its bound values.
private struct PreparedStep {
    let statement: PostgresPreparedStatement
    let text: String
    let parameters: PostgresParameters
    let parses: Bool

    /// Queues the `Parse` if needed, then `Bind` and `Execute`; false if libpq refused.
    func send(on connection: OpaquePointer) -> Bool {
        let count = Int32(parameters.count)
        return statement.withName { name in
            if parses, PQsendPrepare(connection, name, text, count, nil) != 1 { return false }
            return parameters.withUnsafeArguments { values, lengths, formats in
                PQsendQueryPrepared(connection, name, count, values, lengths, formats, 0) == 1
            }
        }
    }
}
