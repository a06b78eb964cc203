import CLibPQ
import Foundation

/// One libpq connection. Every method blocks; the pool calls them on ``BlockingThreads`` only.
///
/// Statements are prepared once per connection and reused (`PQprepare`, then `PQexecPrepared`), so
/// the server parses and plans each distinct query once instead of on every call. A statement the
/// cache lets go is dropped on the server too: at once, or, inside a failed transaction (which
/// refuses every command), as soon as that transaction ends.
final class PostgresConnection: BlockingConnection, @unchecked Sendable {
    private let handle: OpaquePointer
    private var statements: StatementCache<String>
    private var nextStatementNumber = 0
    /// Prepared statements to drop once the failed transaction that kept us from it has ended.
    private var pendingDeallocations: [String] = []
    private var isClosed = false
    var shouldCheckLiveness = false

    /// Connects (blocking) with libpq connection parameters.
    init(parameters: PostgresConnectionParameters, statementCacheCapacity: Int) throws {
        guard let handle = parameters.connect() else {
            throw DatabaseError(.connectionFailed, "out of memory while connecting to PostgreSQL")
        }
        self.handle = handle
        self.statements = StatementCache(capacity: statementCacheCapacity)
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

    // MARK: BlockingConnection

    var isReusable: Bool {
        PQstatus(handle) == CONNECTION_OK && PQtransactionStatus(handle) == PQTRANS_IDLE
            && PQpipelineStatus(handle) == PQ_PIPELINE_OFF
    }

    var hasFailedTransaction: Bool {
        PQtransactionStatus(handle) == PQTRANS_INERROR
    }

    /// After the pool lent out a connection that sat idle: reconnects if the server dropped it.
    private func checkLivenessIfAsked() throws {
        guard shouldCheckLiveness else { return }
        shouldCheckLiveness = false
        try reconnectIfDropped()
    }

    func close() {
        guard !isClosed else { return }
        isClosed = true
        PQfinish(handle)
    }

    func run(_ text: String, bindings: [DatabaseValue], allowWrites: Bool) throws -> QueryResult {
        try checkLivenessIfAsked()
        deallocatePendingIfIdle()
        do {
            return try runPrepared(text, bindings: bindings)
        } catch let error as DatabaseError where PostgresErrorMapping.isInvalidatedPlan(error) {
            // "cached plan must not change result type": a table changed under our prepared
            // statements. Forget them all (they would each fail once), then run this one again if
            // nothing is lost by it; inside a transaction, which the error aborted, that is for the
            // caller to do.
            forgetAllStatements()
            guard PQtransactionStatus(handle) == PQTRANS_IDLE else { throw Self.invalidatedPlan(error) }
            return try runPrepared(text, bindings: bindings)
        }
    }

    /// Sends `control` and the statement in one round trip (libpq's pipeline mode): the `BEGIN` of
    /// a unit of work costs no extra wait for the server.
    func run(after control: String, _ text: String, bindings: [DatabaseValue], allowWrites: Bool) throws -> QueryResult {
        try checkLivenessIfAsked()
        deallocatePendingIfIdle()
        do {
            return try runPipelined(after: control, text, bindings: bindings)
        } catch let failure as StatementFailedAfterControl {
            guard let error = failure.underlying as? DatabaseError, PostgresErrorMapping.isInvalidatedPlan(error) else {
                throw failure
            }
            // The statement was the transaction's first, so nothing has happened yet: start over.
            _ = try runSimple("ROLLBACK")
            forgetAllStatements()
            return try runPipelined(after: control, text, bindings: bindings)
        }
    }

    private func runPipelined(after control: String, _ text: String, bindings: [DatabaseValue]) throws -> QueryResult {
        let parameters = try PostgresParameters(bindings)
        let cached = statements.capacity > 0 ? statements[text] : nil
        let name = cached ?? (statements.capacity > 0 ? nextStatementName() : "")
        guard PQenterPipelineMode(handle) == 1 else { throw PostgresErrorMapping.error(connection: handle, result: nil) }
        var sent = PQsendQueryParams(handle, control, 0, nil, nil, nil, nil, 0) == 1
        if sent, cached == nil {
            sent = PQsendPrepare(handle, name, text, Int32(bindings.count), nil) == 1
        }
        if sent {
            sent = parameters.withUnsafeArguments { values, lengths, formats in
                PQsendQueryPrepared(handle, name, Int32(bindings.count), values, lengths, formats, 0) == 1
            }
        }
        guard sent, PQpipelineSync(handle) == 1 else {
            // The connection is in no state to go on; `isReusable` now says so.
            throw PostgresErrorMapping.error(connection: handle, result: nil)
        }
        // One result per command (each followed by a null), then the sync point.
        let controlResult = Result { try consume(nextPipelineResult()) }
        let prepareResult = cached == nil ? Result { try consume(nextPipelineResult()) } : nil
        let statementResult = Result { try consume(nextPipelineResult()) }
        drainToSync()
        PQexitPipelineMode(handle)
        _ = try controlResult.get()
        do {
            if let prepareResult {
                _ = try prepareResult.get()
                if name != "" { remember(name, for: text) }
            }
            return try statementResult.get()
        } catch {
            throw StatementFailedAfterControl(underlying: error)
        }
    }

    /// The next command's result in pipeline mode, consuming the null that ends it.
    private func nextPipelineResult() -> OpaquePointer? {
        let result = PQgetResult(handle)
        if let result, PQresultStatus(result) != PGRES_PIPELINE_SYNC {
            // Results of one command end with a null.
            while let extra = PQgetResult(handle) { PQclear(extra) }
        }
        return result
    }

    private func drainToSync() {
        while let result = PQgetResult(handle) {
            let status = PQresultStatus(result)
            PQclear(result)
            if status == PGRES_PIPELINE_SYNC { return }
        }
    }

    func runScript(_ text: String) throws {
        try checkLivenessIfAsked()
        defer { deallocatePendingIfIdle() }
        _ = try runSimple(text)
    }

    // MARK: Statements

    private func runPrepared(_ text: String, bindings: [DatabaseValue]) throws -> QueryResult {
        let parameters = try PostgresParameters(bindings)
        guard statements.capacity > 0 else {
            // Caching is off (for example behind PgBouncer in transaction mode): one unnamed statement.
            return try consume(
                parameters.withUnsafeArguments { values, lengths, formats in
                    PQexecParams(handle, text, Int32(bindings.count), nil, values, lengths, formats, 0)
                })
        }
        let name = try preparedStatementName(for: text, parameterCount: bindings.count)
        return try consume(
            parameters.withUnsafeArguments { values, lengths, formats in
                PQexecPrepared(handle, name, Int32(bindings.count), values, lengths, formats, 0)
            })
    }

    private func preparedStatementName(for text: String, parameterCount: Int) throws -> String {
        if let name = statements[text] { return name }
        let name = nextStatementName()
        _ = try consume(PQprepare(handle, name, text, Int32(parameterCount), nil))
        remember(name, for: text)
        return name
    }

    /// Caches a prepared statement's name, dropping the one it evicts from the server too.
    private func remember(_ name: String, for text: String) {
        if let evicted = statements.insert(name, for: text) {
            deallocate([evicted])
        }
    }

    /// Forgets every prepared statement, here and on the server.
    private func forgetAllStatements() {
        deallocate(statements.removeAll())
    }

    /// Drops prepared statements on the server: now, or once a failed transaction has ended.
    private func deallocate(_ names: [String]) {
        pendingDeallocations += names
        // A failed transaction refuses every command; outside one, or in a healthy one, DEALLOCATE
        // takes effect at once, whatever becomes of the transaction.
        guard !pendingDeallocations.isEmpty, PQtransactionStatus(handle) != PQTRANS_INERROR else { return }
        deallocatePending()
    }

    private func deallocatePendingIfIdle() {
        guard !pendingDeallocations.isEmpty, PQtransactionStatus(handle) == PQTRANS_IDLE else { return }
        deallocatePending()
    }

    private func deallocatePending() {
        let script = pendingDeallocations.map { "DEALLOCATE \($0)" }.joined(separator: "; ")
        pendingDeallocations = []
        _ = try? runSimple(script)
    }

    private func nextStatementName() -> String {
        nextStatementNumber += 1
        return "tern_\(nextStatementNumber)"
    }

    private func runSimple(_ text: String) throws -> QueryResult {
        try consume(PQexec(handle, text))
    }

    /// Reads a result into Swift values, or throws its error; frees the result either way.
    private func consume(_ result: OpaquePointer?) throws -> QueryResult {
        guard let result else {
            throw PostgresErrorMapping.error(connection: handle, result: nil)
        }
        defer { PQclear(result) }
        switch PQresultStatus(result) {
        case PGRES_COMMAND_OK, PGRES_EMPTY_QUERY:
            return QueryResult(columns: [], values: [], rowsAffected: Self.rowsAffected(result))
        case PGRES_TUPLES_OK:
            return PostgresResultReader.read(result, rowsAffected: Self.rowsAffected(result))
        default:
            throw PostgresErrorMapping.error(connection: handle, result: result)
        }
    }

    /// The retryable error a statement gets when a table changed under it inside a transaction.
    private static func invalidatedPlan(_ error: DatabaseError) -> DatabaseError {
        DatabaseError(
            .serializationFailure, "a table changed while the transaction used it (cached plan must not change result type); run it again",
            code: error.code)
    }

    private static func rowsAffected(_ result: OpaquePointer) -> Int {
        guard let tuples = PQcmdTuples(result), tuples.pointee != 0 else { return 0 }
        return Int(String(cString: tuples)) ?? 0
    }

    // MARK: Connection health

    /// Fixes the session settings that result parsing relies on, whatever the server's defaults.
    private func configureSession() throws {
        _ = try runSimple("SET DateStyle TO 'ISO'; SET TimeZone TO 'UTC'; SET client_encoding TO 'UTF8'")
    }

    /// Detects a connection the server closed while it sat idle (restart, idle timeout) and opens it
    /// again, so the first query after a restart succeeds instead of failing.
    ///
    /// An idle connection has nothing to read unless the server said goodbye (a fatal error, then
    /// end-of-file) or sent a rare unsolicited message; either way a fresh connection is the safe answer.
    private func reconnectIfDropped() throws {
        var descriptor = pollfd(fd: PQsocket(handle), events: Int16(POLLIN), revents: 0)
        let readable = poll(&descriptor, 1, 0) > 0
        guard readable || PQstatus(handle) != CONNECTION_OK else { return }
        statements.removeAll()
        pendingDeallocations = []
        PQreset(handle)
        guard PQstatus(handle) == CONNECTION_OK else {
            throw DatabaseError(.connectionFailed, "could not reconnect to PostgreSQL: \(PostgresErrorMapping.lastMessage(handle))")
        }
        try configureSession()
    }
}
