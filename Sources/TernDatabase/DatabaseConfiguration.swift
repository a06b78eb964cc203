/// How to reach a database and how many connections to keep.
public struct DatabaseConfiguration: Sendable {
    /// Which database.
    public var url: DatabaseURL
    /// Most connections open at once. On SQLite this is the number of readers; writes share one more
    /// connection, one at a time.
    public var maxConnections: Int
    /// How long a query waits for a free connection before failing with `poolExhausted`.
    public var acquireTimeout: Duration
    /// Prepared statements kept per connection; 0 turns caching off on PostgreSQL (needed behind
    /// PgBouncer in transaction mode).
    public var statementCacheCapacity: Int
    /// How PostgreSQL plans the prepared statements (its `plan_cache_mode`): once for any values by
    /// default, so that no request pays for planning.
    public var planCacheMode: PostgresPlanCacheMode
    /// How long PostgreSQL connection attempts wait before failing.
    public var connectTimeout: Duration
    /// How long SQLite waits for a lock held by another process before failing.
    public var sqliteBusyTimeout: Duration
    /// How long closing waits for lent connections to come back before leaving them behind.
    public var shutdownTimeout: Duration

    public init(
        url: DatabaseURL,
        maxConnections: Int = 10,
        acquireTimeout: Duration = .seconds(5),
        statementCacheCapacity: Int = 100,
        planCacheMode: PostgresPlanCacheMode = .forceGenericPlan,
        connectTimeout: Duration = .seconds(5),
        sqliteBusyTimeout: Duration = .seconds(5),
        shutdownTimeout: Duration = .seconds(10)
    ) {
        self.url = url
        self.maxConnections = max(1, maxConnections)
        self.acquireTimeout = acquireTimeout
        self.statementCacheCapacity = statementCacheCapacity
        self.planCacheMode = planCacheMode
        self.connectTimeout = connectTimeout
        self.sqliteBusyTimeout = sqliteBusyTimeout
        self.shutdownTimeout = shutdownTimeout
    }
}
