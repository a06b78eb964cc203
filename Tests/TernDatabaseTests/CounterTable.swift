import TernDatabase

/// The values of the `counter` table (one `value` column) the transaction and batch tests write to,
/// in order.
func counterValues(_ database: some Queryable) async throws -> [Int] {
    try await database.query("SELECT value FROM counter ORDER BY value", as: Int.self)
}
