/// Something that runs SQL: the ``Database`` itself (each statement on its own), a ``Transaction``, or
/// a pinned ``DatabaseConnection``. Repositories take a `some Queryable` and so work inside or
/// outside a transaction, on PostgreSQL or SQLite alike.
public protocol Queryable: Sendable {
    /// The SQL dialect statements are sent in.
    var dialect: SQLDialect { get }

    /// Runs statements in order, together: on one connection and, on PostgreSQL, in one round trip
    /// (libpq's pipeline mode), so that a request's independent statements cost one wait for the
    /// server instead of several. Outside a transaction they succeed or fail as one (one implicit
    /// transaction); inside one, they are part of it. The first failure is thrown, and the
    /// statements after it do not run.
    ///
    /// ``query(together:)`` is the typed way to call it: each statement with what its rows become.
    func query(batch: [SQL]) async throws -> [QueryResult]
}

extension Queryable {
    /// Runs a statement and returns its rows and row count.
    public func query(_ sql: SQL) async throws -> QueryResult {
        try await query(batch: [sql])[0]
    }

    /// Runs a statement and decodes every row into `type`, matching columns to properties by name
    /// (`owner_id` fills `ownerID` or `ownerId`), or into a scalar when the result has one column.
    public func query<T: Decodable>(_ sql: SQL, as type: T.Type) async throws -> [T] {
        try await query(sql).decode(type, of: sql)
    }

    /// Runs a statement and decodes its first row, or returns `nil` when there is none.
    public func queryFirst<T: Decodable>(_ sql: SQL, as type: T.Type) async throws -> T? {
        try await query(sql).decodeFirst(type, of: sql)
    }

    /// Runs a statement for its effect and returns the number of rows it changed.
    @discardableResult
    public func execute(_ sql: SQL) async throws -> Int {
        try await query(sql).rowsAffected
    }
}

extension Queryable {
    /// Runs statements together, as ``query(batch:)`` does (on PostgreSQL, in one round trip), and
    /// returns what each one's result becomes, in order:
    ///
    /// ```swift
    /// let (user, sessions) = try await database.query(together: users.find(id: id), sessions.liveSessions(of: id))
    /// ```
    public func query<each Value>(together statements: repeat Statement<each Value>) async throws -> (repeat each Value) {
        var batch: [SQL] = []
        for statement in repeat each statements { batch.append(statement.sql) }
        let results = try await query(batch: batch)
        var index = 0
        func read<V>(_ statement: Statement<V>) throws -> V {
            defer { index += 1 }
            return try statement.read(results[index])
        }
        return (repeat try read(each statements))
    }
}

extension QueryResult {
    /// Decodes every row into `type`; a failure is a ``DatabaseError`` naming the statement.
    func decode<T: Decodable>(_ type: T.Type, of sql: SQL) throws -> [T] {
        try Self.decoding(T.self, of: sql) { try decode(type) }
    }

    /// Decodes the first row, if there is one, and no other; a failure is a ``DatabaseError`` naming
    /// the statement (public for a ``Statement`` that reads its result its own way).
    public func decodeFirst<T: Decodable>(_ type: T.Type, of sql: SQL) throws -> T? {
        guard count > 0 else { return nil }
        return try Self.decoding(T.self, of: sql) { try Row(result: self, index: 0).decode(type) }
    }

    private static func decoding<T, Result>(_: T.Type, of sql: SQL, _ body: () throws -> Result) throws -> Result {
        do {
            return try body()
        } catch let error as DecodingError {
            throw DatabaseError(.decoding, "cannot decode \(T.self) from the result of \(sql): \(error.summary)")
        }
    }
}

extension DecodingError {
    /// The debug description of the error, which names the column without quoting its value.
    var summary: String {
        switch self {
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .keyNotFound(_, let context),
            .dataCorrupted(let context):
            context.debugDescription
        @unknown default:
            "\(self)"
        }
    }
}
