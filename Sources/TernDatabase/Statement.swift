/// A statement and what its result becomes, so that several can run together in one round trip
/// with ``Queryable/query(together:)``. Repositories return them where a caller may want to
/// batch a lookup with others:
///
/// ```swift
/// func find(id: UUID) -> Statement<User?> {
///     .first("SELECT * FROM users WHERE id = \(id)", as: User.self)
/// }
/// ```
public struct Statement<Value>: Sendable {
    /// The statement to run.
    public let sql: SQL
    let read: @Sendable (QueryResult) throws -> Value

    /// A statement whose result `read` turns into a value.
    public init(_ sql: SQL, read: @escaping @Sendable (QueryResult) throws -> Value) {
        self.sql = sql
        self.read = read
    }

    /// Every row, decoded as ``Queryable/query(_:as:)`` decodes them.
    public static func rows<Row: Decodable & Sendable>(_ sql: SQL, as _: Row.Type) -> Statement where Value == [Row] {
        Statement(sql) { try $0.decode(Row.self, of: sql) }
    }

    /// The first row, as ``Queryable/queryFirst(_:as:)`` returns it.
    public static func first<Row: Decodable & Sendable>(_ sql: SQL, as _: Row.Type) -> Statement where Value == Row? {
        Statement(sql) { try $0.decodeFirst(Row.self, of: sql) }
    }
}

extension Statement where Value == Int {
    /// A statement run for its effect: the number of rows it changed, as ``Queryable/execute(_:)``
    /// returns it.
    public static func execute(_ sql: SQL) -> Statement {
        Statement(sql) { $0.rowsAffected }
    }
}
