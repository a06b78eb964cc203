import CSQLite
import Foundation

/// One sqlite3 connection. Every method blocks; the pool calls them on ``BlockingThreads`` only.
///
/// Opened in WAL mode with foreign keys on and a busy timeout. A reader connection refuses statements
/// that write (checked with `sqlite3_stmt_readonly` before they run) so that every write goes through
/// the single writer connection, one at a time: concurrent requests queue in the pool instead of
/// failing with `SQLITE_BUSY`.
final class SQLiteConnection: ThreadBoundConnection, @unchecked Sendable {
    private let handle: OpaquePointer
    let role: ConnectionRole
    private var statements: StatementCache<OpaquePointer>
    private var isClosed = false
    var shouldCheckLiveness = false

    /// Opens (and creates, if needed) the database file.
    init(path: String, role: ConnectionRole, busyTimeoutMilliseconds: Int32, statementCacheCapacity: Int) throws {
        var handle: OpaquePointer?
        let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX
        let status = sqlite3_open_v2(path, &handle, flags, nil)
        guard let handle else {
            throw DatabaseError(.connectionFailed, "could not open SQLite database at \(path): out of memory")
        }
        guard status == SQLITE_OK else {
            let message = String(cString: sqlite3_errmsg(handle))
            sqlite3_close_v2(handle)
            throw DatabaseError(.connectionFailed, "could not open SQLite database at \(path): \(message)")
        }
        self.handle = handle
        self.role = role
        self.statements = StatementCache(capacity: max(1, statementCacheCapacity))
        sqlite3_extended_result_codes(handle, 1)
        sqlite3_busy_timeout(handle, busyTimeoutMilliseconds)
        try switchToWAL(within: .milliseconds(busyTimeoutMilliseconds))
        try runScript("PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;")
    }

    /// Switching a new database file to WAL takes an exclusive lock. When two connections open the
    /// file at once, each can hold a shared lock while it waits for the other's to go, and SQLite then
    /// answers `SQLITE_BUSY` at once rather than call the busy handler (waiting would never end): so the
    /// switch is tried again here, after a short random pause, until the busy timeout has passed.
    private func switchToWAL(within timeout: Duration) throws {
        let deadline = ContinuousClock.now + timeout
        while true {
            do {
                return try runScript("PRAGMA journal_mode = WAL")
            } catch let error as DatabaseError where error.kind == .serializationFailure && ContinuousClock.now < deadline {
                usleep(UInt32.random(in: 1_000...10_000))
            }
        }
    }

    deinit {
        close()
    }

    // MARK: ThreadBoundConnection

    var isReusable: Bool {
        !isClosed && !isInTransaction
    }

    var isInTransaction: Bool {
        sqlite3_get_autocommit(handle) == 0
    }

    /// SQLite keeps a transaction going after most failed statements (only the statement is undone);
    /// after the others it rolls the transaction back, and the connection is then reusable.
    var hasFailedTransaction: Bool { false }

    func close() {
        guard !isClosed else { return }
        isClosed = true
        for statement in statements.removeAll() {
            sqlite3_finalize(statement)
        }
        sqlite3_close_v2(handle)
    }

    func run(_ text: String, bindings: [DatabaseValue], allowWrites: Bool) throws -> QueryResult {
        let statement = try prepared(text)
        defer {
            sqlite3_reset(statement)
            sqlite3_clear_bindings(statement)
        }
        let readOnly = sqlite3_stmt_readonly(statement) != 0
        if !readOnly && (role == .reader || !allowWrites) {
            throw WriteNotAllowed()
        }
        try bind(bindings, to: statement)
        return try step(statement, readOnly: readOnly)
    }

    func runScript(_ text: String) throws {
        var errorMessage: UnsafeMutablePointer<CChar>?
        let status = sqlite3_exec(handle, text, nil, nil, &errorMessage)
        defer { sqlite3_free(errorMessage) }
        guard status == SQLITE_OK else {
            let message = errorMessage.map { String(cString: $0) } ?? String(cString: sqlite3_errmsg(handle))
            throw SQLiteErrorMapping.error(code: status, message: message)
        }
    }

    // MARK: Statements

    private func prepared(_ text: String) throws -> OpaquePointer {
        if let statement = statements[text] { return statement }
        var statement: OpaquePointer?
        let status = sqlite3_prepare_v3(handle, text, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &statement, nil)
        guard status == SQLITE_OK, let statement else {
            throw lastError()
        }
        if let evicted = statements.insert(statement, for: text) {
            sqlite3_finalize(evicted)
        }
        return statement
    }

    private func bind(_ values: [DatabaseValue], to statement: OpaquePointer) throws {
        for (offset, value) in values.enumerated() {
            let index = Int32(offset + 1)
            let status: Int32
            switch value {
            case .null:
                status = sqlite3_bind_null(statement, index)
            case .bool(let bool):
                status = sqlite3_bind_int64(statement, index, bool ? 1 : 0)
            case .integer(let integer):
                status = sqlite3_bind_int64(statement, index, integer)
            case .double(let double):
                status = sqlite3_bind_double(statement, index, double)
            case .text(let text):
                status = text.withCString { pointer in
                    sqlite3_bind_text64(
                        statement, index, pointer, UInt64(text.utf8.count), Self.transient, UInt8(SQLITE_UTF8))
                }
            case .blob(let bytes):
                status = bytes.withUnsafeBytes { buffer in
                    sqlite3_bind_blob64(statement, index, buffer.baseAddress, UInt64(buffer.count), Self.transient)
                }
            }
            guard status == SQLITE_OK else { throw lastError() }
        }
    }

    private func step(_ statement: OpaquePointer, readOnly: Bool) throws -> QueryResult {
        // The first step may re-prepare the statement (the schema changed since it was cached, and
        // `SELECT *` now has other columns), so the columns are read after it.
        let changedBefore = sqlite3_total_changes64(handle)
        var status = sqlite3_step(statement)
        let columnCount = sqlite3_column_count(statement)
        let columns = (0..<columnCount).map { String(cString: sqlite3_column_name(statement, $0)) }
        var values = ResultValues()
        while status == SQLITE_ROW {
            for column in 0..<columnCount {
                append(statement, column, to: &values)
            }
            status = sqlite3_step(statement)
        }
        guard status == SQLITE_DONE else { throw lastError() }
        // `sqlite3_changes64` keeps the last INSERT, UPDATE or DELETE's count through other statements
        // (a `CREATE INDEX` would report it); a statement that changed no row leaves the total as it was.
        let changedRows = !readOnly && sqlite3_total_changes64(handle) != changedBefore
        let rowsAffected = changedRows ? Int(sqlite3_changes64(handle)) : 0
        return QueryResult(columns: columns, values: values, rowsAffected: rowsAffected)
    }

    private func append(_ statement: OpaquePointer, _ column: Int32, to values: inout ResultValues) {
        switch sqlite3_column_type(statement, column) {
        case SQLITE_INTEGER:
            values.append(.integer(sqlite3_column_int64(statement, column)))
        case SQLITE_FLOAT:
            values.append(.double(sqlite3_column_double(statement, column)))
        case SQLITE_TEXT:
            values.appendText(
                UnsafeRawBufferPointer(
                    start: sqlite3_column_text(statement, column), count: Int(sqlite3_column_bytes(statement, column))))
        case SQLITE_BLOB:
            let bytes = UnsafeRawBufferPointer(
                start: sqlite3_column_blob(statement, column), count: Int(sqlite3_column_bytes(statement, column)))
            values.append(.blob(Array(bytes)))
        default:
            values.append(.null)
        }
    }

    private func lastError() -> DatabaseError {
        SQLiteErrorMapping.error(code: sqlite3_extended_errcode(handle), message: String(cString: sqlite3_errmsg(handle)))
    }

    /// `SQLITE_TRANSIENT`: sqlite copies bound text and blobs before the call returns.
    private static var transient: sqlite3_destructor_type {
        unsafeBitCast(OpaquePointer(bitPattern: -1), to: sqlite3_destructor_type.self)
    }
}
