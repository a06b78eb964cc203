/// One connection held for a while, for work that needs the same session throughout: a PostgreSQL
/// advisory lock around several transactions (the migration runner does this), or session settings.
///
/// Obtained from ``Database/withConnection(_:_:)`` and valid only inside its closure.
public struct DatabaseConnection: Queryable {
    let lease: Lease
    let mode: TransactionMode

    public var dialect: SQLDialect { lease.dialect }

    public func query(batch: [SQL]) async throws -> [QueryResult] {
        try await lease.run(batch, mode: mode)
    }

    /// Runs a trusted multi-statement script outside any transaction.
    public func execute(_ script: SQLScript) async throws {
        try await lease.runScript(script.text)
    }

    /// Runs `body` in a transaction on this connection.
    public func transaction<T>(_ body: (Transaction) async throws -> T) async throws -> T {
        try await lease.withTransaction(mode, body)
    }
}
