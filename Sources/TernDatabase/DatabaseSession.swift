import Synchronization

/// The database as one request sees it: a unit of work that commits or rolls back as a whole.
///
/// - In ``Mode-swift.enum/unitOfWork`` mode (requests that change things: POST, PUT, PATCH, DELETE)
///   the first statement opens a transaction on one connection (on PostgreSQL, in the same round
///   trip); every later statement runs in it, and ``commit()`` or ``rollback()`` ends it when the
///   request is done. On SQLite this is the writer connection, so such requests take turns.
/// - In ``Mode-swift.enum/autocommit`` mode (requests that read: GET, HEAD) each statement runs on
///   its own, on any free connection (what PostgreSQL's default READ COMMITTED isolation gives
///   anyway) without the round trips of `BEGIN` and `COMMIT`. Use ``transaction(_:)`` where several
///   statements must see one snapshot or succeed together.
///
/// Nothing is opened until the first statement, so a request that never touches the database costs
/// nothing. Work that must happen only once the changes are stored (sending an email) goes in
/// ``afterCommit(_:)``. A session belongs to one task: using it from two at once throws.
public final class DatabaseSession: Queryable, Sendable {
    /// How statements are grouped.
    public enum Mode: Sendable, Hashable {
        case autocommit
        case unitOfWork
    }

    private struct State {
        var lease: Lease?
        var isOpening = false
        var isFinished = false
        var afterCommit: [@Sendable () async -> Void] = []
    }

    public let database: Database
    public let mode: Mode
    private let state = Mutex(State())

    public var dialect: SQLDialect { database.dialect }

    public init(database: Database, mode: Mode) {
        self.database = database
        self.mode = mode
    }

    deinit {
        // A session dropped without commit or rollback: its connection, still in a transaction,
        // goes back to the pool, which closes it rather than reuse it.
        state.withLock { $0.lease }?.release()
    }

    public func query(batch: [SQL]) async throws -> [QueryResult] {
        guard !batch.isEmpty else { return [] }
        switch try currentLease() {
        case .autocommit:
            return try await database.query(batch: batch)
        case .open(let lease):
            return try await lease.run(batch, mode: .readWrite)
        case .toOpen:
            // The first statements open the transaction, in the same round trip on PostgreSQL.
            return try await open { lease in try await lease.begin(.readWrite, with: batch) }
        }
    }

    /// Runs `body` atomically: in a savepoint of the unit of work, or in a transaction of its own in
    /// autocommit mode.
    public func transaction<T>(_ body: (Transaction) async throws -> T) async throws -> T {
        switch try currentLease() {
        case .autocommit:
            return try await database.transaction(.readWrite, body)
        case .open(let lease):
            return try await lease.withTransaction(.readWrite, body)
        case .toOpen:
            try await open { lease in try await lease.begin(.readWrite) }
            return try await transaction(body)
        }
    }

    /// Runs `action` once the unit of work has committed (at once in autocommit mode); dropped if it
    /// rolls back. For side effects that must not happen for changes that were never stored.
    public func afterCommit(_ action: @escaping @Sendable () async -> Void) async {
        guard mode == .unitOfWork else {
            await action()
            return
        }
        state.withLock { $0.afterCommit.append(action) }
    }

    /// Commits the unit of work, if one was opened, ends the session, then runs the after-commit
    /// actions.
    public func commit() async throws {
        try await finish(commit: true)
        await runAfterCommitActions()
    }

    /// Runs `statement` as the unit of work's last, commits, and ends the session, then runs the
    /// after-commit actions; a statement after it throws. For a service whose change is one
    /// statement (an `INSERT`): when the unit of work has not opened yet, the statement runs alone,
    /// atomic by itself, in one round trip without `BEGIN` and `COMMIT`, and its locks (a foreign
    /// key's on the row it names) are held for that round trip only. Otherwise it runs in the open
    /// transaction, which then commits. If it fails, nothing is committed and the session is as
    /// before: the request rolls back.
    public func commit<Value>(with statement: Statement<Value>) async throws -> Value {
        switch try currentLease() {
        case .autocommit:
            return try await query(together: statement)
        case .open:
            let value = try await query(together: statement)
            try await commit()
            return value
        case .toOpen:
            do {
                let value = try await database.query(together: statement)
                state.withLock { ($0.isOpening, $0.isFinished) = (false, true) }
                await runAfterCommitActions()
                return value
            } catch {
                state.withLock { $0.isOpening = false }
                throw error
            }
        }
    }

    /// Rolls the unit of work back, if one was opened, and ends the session.
    public func rollback() async {
        try? await finish(commit: false)
        state.withLock { $0.afterCommit = [] }
    }

    // MARK: Internals

    private func runAfterCommitActions() async {
        let actions = state.withLock { state in
            defer { state.afterCommit = [] }
            return state.afterCommit
        }
        for action in actions { await action() }
    }

    private enum Step {
        case autocommit
        case open(Lease)
        case toOpen
    }

    /// Where the next statement goes; claims the opening of the transaction when there is none.
    private func currentLease() throws -> Step {
        try state.withLock { state in
            guard !state.isFinished else { throw DatabaseError(.closed, "this database session has ended") }
            guard mode == .unitOfWork else { return .autocommit }
            if let lease = state.lease { return .open(lease) }
            guard !state.isOpening else {
                throw DatabaseError(.other, "a database session was used by two tasks at once")
            }
            state.isOpening = true
            return .toOpen
        }
    }

    /// Takes the connection the unit of work runs on and runs `first` on it.
    private func open<T>(_ first: (Lease) async throws -> T) async throws -> T {
        let pool = database.pool(for: .readWrite)
        let lease: Lease
        do {
            lease = Lease(connection: try await pool.acquire(), dialect: dialect, pool: pool)
        } catch {
            state.withLock { $0.isOpening = false }
            throw error
        }
        state.withLock { state in
            state.lease = lease
            state.isOpening = false
        }
        do {
            return try await first(lease)
        } catch {
            if !lease.isInTransaction {
                // BEGIN itself failed: nothing is open, and the next statement starts afresh.
                state.withLock { $0.lease = nil }
                lease.release()
            }
            throw error
        }
    }

    private func finish(commit: Bool) async throws {
        let lease: Lease? = try state.withLock { state in
            guard !state.isFinished else { return nil }
            guard !state.isOpening else {
                throw DatabaseError(.other, "a database session was ended while a statement was running")
            }
            state.isFinished = true
            defer { state.lease = nil }
            return state.lease
        }
        guard let lease else { return }
        defer { lease.release() }
        guard lease.isInTransaction else { return }
        try await lease.end(commit: commit)
    }
}
