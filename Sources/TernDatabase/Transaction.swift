/// An open transaction, handed to the closure of ``Database/transaction(_:_:)``.
///
/// Statements run on the transaction's connection. ``transaction(_:)`` nests a savepoint: its work is
/// undone alone when its closure throws, and the outer transaction can go on. A `Transaction` is only
/// valid inside its closure; using it later throws.
public struct Transaction: Queryable {
    let lease: Lease
    /// Whether the transaction may write.
    public let mode: TransactionMode

    public var dialect: SQLDialect { lease.dialect }

    public func query(batch: [SQL]) async throws -> [QueryResult] {
        try await lease.run(batch, mode: mode)
    }

    /// Runs a trusted multi-statement script (a migration) inside the transaction.
    public func execute(_ script: SQLScript) async throws {
        try await lease.runScript(script.text)
    }

    /// Runs `body` in a savepoint: released when `body` returns, rolled back to when it throws.
    public func transaction<T>(_ body: (Transaction) async throws -> T) async throws -> T {
        try await lease.withTransaction(mode, body)
    }
}
