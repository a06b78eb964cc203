import TernDatabase

extension Queryable {
    /// A page of a newest-first list (``PagePosition/order``) of `columns` from `table`, with the
    /// total count of the rows `filter` selects (all of them when `nil`).
    ///
    /// Without a position, the page is `skip` rows in; the statement's `count(*) OVER ()` carries
    /// the total, one round trip with the count from the same snapshot as the rows. A page past the
    /// end has no row to carry the total, so only then does `count(*)` run. From a position, the page
    /// starts after it (and `skip` rows further): a keyset seek, whose total comes from `count(*)`.
    func queryPage<Row: Decodable & Sendable>(
        _ columns: SQL, from table: SQL, filter: SQL?, after position: PagePosition?, skip: Int, limit: Int, as type: Row.Type
    ) async throws -> Page<Row> {
        let count: SQL = "SELECT count(*) FROM \(table) " + Self.whereClause([filter])
        guard let position else {
            let result = try await query(
                "SELECT \(columns), count(*) OVER () AS total_count FROM \(table) " + Self.whereClause([filter])
                    + " \(PagePosition.order) LIMIT \(limit) OFFSET \(skip)")
            let rows = try result.decode(Row.self)
            var total = result.rows.first?["total_count"].flatMap(Int.init(databaseValue:)) ?? 0
            if rows.isEmpty, skip > 0 { total = try await queryFirst(count, as: Int.self) ?? 0 }
            return Page(rows: rows, count: total, hasMore: skip + rows.count < total)
        }
        // One row more than the page, to know whether another page follows.
        let rows = try await query(
            "SELECT \(columns) FROM \(table) " + Self.whereClause([filter, position.rowsAfter])
                + " \(PagePosition.order) LIMIT \(limit + 1) OFFSET \(skip)",
            as: Row.self)
        let total = try await queryFirst(count, as: Int.self) ?? 0
        return Page(rows: Array(rows.prefix(limit)), count: total, hasMore: rows.count > limit)
    }

    private static func whereClause(_ conditions: [SQL?]) -> SQL {
        let conditions = conditions.compactMap { $0 }
        return conditions.isEmpty ? "" : "WHERE " + SQL.joined(conditions, separator: " AND ")
    }
}
