/// How one of the database's connection pools is used at a moment, for metrics: read when asked
/// (at a scrape), never counted on the path of a query.
public struct PoolStatistics: Sendable, Equatable {
    /// `readers` or `writer` on SQLite (reads and the single writer have pools of their own);
    /// `connections` on PostgreSQL, whose one pool does both.
    public var pool: String
    /// Connections lent to a task now.
    public var inUse: Int
    /// Connections open and waiting for a task.
    public var idle: Int
    /// Tasks waiting in line for a connection.
    public var waiting: Int
    public var maxConnections: Int
}
