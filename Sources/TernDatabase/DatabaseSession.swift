/// The database as one request sees it: a unit of work that commits or rolls back as a whole.
///
/// - In ``Mode-swift.enum/unitOfWork`` mode (requests that change things: POST, PUT, PATCH, DELETE)
///   the first statement opens a transaction on one connection; every later statement runs in it,
///   and ``commit()`` or ``rollback()`` ends it when the request is done. On SQLite this is the writer
///   connection, so such requests take turns.
/// - In ``Mode-swift.enum/autocommit`` mode (requests that read: GET, HEAD) each statement runs on
///   its own, on any free connection, like PostgreSQL's default READ COMMITTED isolation gives
///   anyway, without the round trips of `BEGIN` and `COMMIT`. Use ``transaction(_:)`` where several
///   statements must see one snapshot or succeed together.
///
/// Nothing is opened until the first statement, so a request that never touches the database costs
/// nothing. The HTTP layer creates one session per request and ends it; repositories take it as a
/// ``Queryable``.
public final class DatabaseSession: Queryable, @unchecked Sendable {
    /// How statements are grouped.
    public enum Mode: Sendable, Hashable {
        case autocommit
        case unitOfWork
    }

    public let database: Database
    public let mode: Mode
    private var lease: Lease?
    private var isFinished = false

    public var dialect: SQLDialect { database.dialect }

    public init(database: Database, mode: Mode) {
        self.database = database
        self.mode = mode
    }

    public func query(_ sql: SQL) async throws -> QueryResult {
        guard !isFinished else { throw DatabaseError(.closed, "this database session has ended") }
        guard mode == .unitOfWork else { return try await database.query(sql) }
        if let lease { return try await lease.run(sql, mode: .readWrite) }
        // The first statement opens the transaction, in the same round trip on PostgreSQL.
        let lease = try await acquire()
        return try await lease.begin(.readWrite, with: sql)
    }

    /// Runs `body` atomically: in a savepoint of the unit of work, or in a transaction of its own in
    /// autocommit mode.
    public func transaction<T>(_ body: (Transaction) async throws -> T) async throws -> T {
        guard !isFinished else { throw DatabaseError(.closed, "this database session has ended") }
        guard mode == .unitOfWork else { return try await database.transaction(.readWrite, body) }
        return try await openTransaction().withTransaction(.readWrite, body)
    }

    /// Commits the unit of work, if one was opened, and ends the session.
    public func commit() async throws {
        try await finish(commit: true)
    }

    /// Rolls the unit of work back, if one was opened, and ends the session.
    public func rollback() async {
        try? await finish(commit: false)
    }

    private func openTransaction() async throws -> Lease {
        if let lease { return lease }
        let lease = try await acquire()
        _ = try await lease.begin(.readWrite, with: "SELECT 1")
        return lease
    }

    /// Takes the connection the unit of work runs on; ``finish(commit:)`` gives it back.
    private func acquire() async throws -> Lease {
        let pool = database.pool(for: .readWrite)
        let lease = Lease(connection: try await pool.acquire(), dialect: dialect, pool: pool)
        self.lease = lease
        return lease
    }

    private func finish(commit: Bool) async throws {
        guard !isFinished else { return }
        isFinished = true
        guard let lease else { return }
        self.lease = nil
        defer { lease.release() }
        guard lease.isInTransaction else { return }
        try await lease.end(commit: commit)
    }
}
