import TernDatabase

/// The statement of one page of a newest-first list (``PagePosition/order``) of `columns` from
/// `table`, with the total count of the rows `filter` selects (all of them when `nil`): `skip` rows
/// after `position`, or after the start when there is none. Run it with ``Queryable/queryPage(_:)``,
/// or send ``statement`` with others and finish with ``page(from:on:)``.
///
/// From a position the page is an index seek, as fast at page 1,000 as at page 1; `skip` alone
/// reads and discards the rows before the page. The total comes in the same statement, from the
/// same snapshot, as a `count(*)` subquery the database runs once, over the index alone (a
/// `count(*) OVER ()` would fetch every matching row to count it: at 100,000 items, a fifth of the
/// rate). A page past the end has no row to carry it, so only then does `count(*)` run alone.
struct PageQuery<Row: Decodable & Sendable>: Sendable {
    /// The page with its total; `nil` for a page past the end, whose total ``page(from:on:)`` counts.
    let statement: Statement<Page<Row>?>
    private let count: Statement<Int?>

    init(_ columns: SQL, from table: SQL, filter: SQL?, after position: PagePosition?, skip: Int, limit: Int) {
        let count: SQL = "SELECT count(*) FROM \(table) " + Self.whereClause([filter])
        let startsLater = skip > 0 || position != nil
        // One row more than the page, to know whether another page follows.
        let sql: SQL =
            "SELECT \(columns), (\(count)) AS total_count FROM \(table) " + Self.whereClause([filter, position?.rowsAfter])
            + " \(PagePosition.order) LIMIT \(limit + 1) OFFSET \(skip)"
        statement = Statement(sql) { result in
            let rows = try result.decode(Row.self)
            if rows.isEmpty, startsLater { return nil }
            let total = result.rows.first?["total_count"].flatMap(Int.init(databaseValue:)) ?? 0
            return Page(rows: Array(rows.prefix(limit)), count: total, hasMore: rows.count > limit)
        }
        self.count = .first(count, as: Int.self)
    }

    /// The page ``statement`` read: past the end, with its total counted now, on `database`.
    func page(from read: Page<Row>?, on database: some Queryable) async throws -> Page<Row> {
        if let read { return read }
        let total: Int? = try await database.query(together: count)
        return Page(rows: [], count: total ?? 0, hasMore: false)
    }

    private static func whereClause(_ conditions: [SQL?]) -> SQL {
        let conditions = conditions.compactMap { $0 }
        return conditions.isEmpty ? "" : "WHERE " + SQL.joined(conditions, separator: " AND ")
    }
}

extension Queryable {
    /// The page `query` reads.
    func queryPage<Row>(_ query: PageQuery<Row>) async throws -> Page<Row> {
        try await query.page(from: self.query(together: query.statement), on: self)
    }
}
