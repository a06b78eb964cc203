/// Something that runs SQL: the ``Database`` itself (each statement on its own), a ``Transaction``, or
/// a pinned ``DatabaseConnection``. Repositories take a `some Queryable` and so work inside or
/// outside a transaction, on PostgreSQL or SQLite alike.
public protocol Queryable: Sendable {
    /// The SQL dialect statements are sent in.
    var dialect: SQLDialect { get }

    /// Runs a statement and returns its rows and row count.
    func query(_ sql: SQL) async throws -> QueryResult
}

extension Queryable {
    /// Runs a statement and decodes every row into `type`, matching columns to properties by name
    /// (`owner_id` fills `ownerID` or `ownerId`), or into a scalar when the result has one column.
    public func query<T: Decodable>(_ sql: SQL, as type: T.Type) async throws -> [T] {
        let result = try await query(sql)
        do {
            return try result.decode(type)
        } catch let error as DecodingError {
            throw DatabaseError(.decoding, "cannot decode \(T.self) from the result of \(sql): \(error.summary)")
        }
    }

    /// Runs a statement and decodes its first row, or returns `nil` when there is none.
    public func queryFirst<T: Decodable>(_ sql: SQL, as type: T.Type) async throws -> T? {
        try await query(sql, as: type).first
    }

    /// Runs a statement for its effect and returns the number of rows it changed.
    @discardableResult
    public func execute(_ sql: SQL) async throws -> Int {
        try await query(sql).rowsAffected
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
