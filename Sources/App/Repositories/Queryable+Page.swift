import TernDatabase

extension Queryable {
    /// Runs `page`, a statement whose select list includes `count(*) OVER () AS total_count`, and
    /// returns its rows with the total: one round trip, the count from the same snapshot as the
    /// rows. A page past the end has no row to carry the total, so only then `count` runs.
    func queryPage<Row: Decodable>(
        _ page: SQL, count: SQL, skip: Int, as type: Row.Type
    ) async throws -> (rows: [Row], count: Int) {
        let result = try await query(page)
        let rows = try result.decode(Row.self)
        if let total = result.rows.first?["total_count"].flatMap(Int.init(databaseValue:)) { return (rows, total) }
        return (rows, skip == 0 ? 0 : try await queryFirst(count, as: Int.self) ?? 0)
    }
}
