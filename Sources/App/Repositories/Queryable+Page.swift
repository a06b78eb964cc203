import TernDatabase

extension Queryable {
    /// A page of a newest-first list (``PagePosition/order``) of `columns` from `table`, with the
    /// total count of the rows `filter` selects (all of them when `nil`): `skip` rows after
    /// `position`, or after the start when there is none.
    ///
    /// From a position the page is an index seek, as fast at page 1,000 as at page 1; `skip` alone
    /// reads and discards the rows before the page. The total comes in the same statement, from the
    /// same snapshot, as a `count(*)` subquery the database runs once, over the index alone (a
    /// `count(*) OVER ()` would fetch every matching row to count it: at 100,000 items, a fifth of the
    /// rate). A page past the end has no row to carry it, so only then does `count(*)` run alone.
    func queryPage<Row: Decodable & Sendable>(
        _ columns: SQL, from table: SQL, filter: SQL?, after position: PagePosition?, skip: Int, limit: Int, as type: Row.Type
    ) async throws -> Page<Row> {
        let count: SQL = "SELECT count(*) FROM \(table) " + Self.whereClause([filter])
        // One row more than the page, to know whether another page follows.
        let result = try await query(
            "SELECT \(columns), (\(count)) AS total_count FROM \(table) " + Self.whereClause([filter, position?.rowsAfter])
                + " \(PagePosition.order) LIMIT \(limit + 1) OFFSET \(skip)")
        let rows = try result.decode(Row.self)
        var total = result.rows.first?["total_count"].flatMap(Int.init(databaseValue:)) ?? 0
        if rows.isEmpty, skip > 0 || position != nil { total = try await queryFirst(count, as: Int.self) ?? 0 }
        return Page(rows: Array(rows.prefix(limit)), count: total, hasMore: rows.count > limit)
    }

    private static func whereClause(_ conditions: [SQL?]) -> SQL {
        let conditions = conditions.compactMap { $0 }
        return conditions.isEmpty ? "" : "WHERE " + SQL.joined(conditions, separator: " AND ")
    }
}
