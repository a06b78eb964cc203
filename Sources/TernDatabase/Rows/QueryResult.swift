/// What a statement returned: its rows (if any) and how many rows it changed.
///
/// Results are copied out of the connection's buffers on its thread, so they can be decoded and
/// passed around freely once a query returns.
public struct QueryResult: Sendable {
    /// The column names, in select-list order.
    public let columns: [String]

    /// Row-major values: row `r`, column `c` is at `r * columns.count + c`.
    let values: ResultValues

    /// Rows inserted, updated or deleted (0 for queries that only read).
    public let rowsAffected: Int

    init(columns: [String], values: ResultValues, rowsAffected: Int) {
        self.columns = columns
        self.values = values
        self.rowsAffected = rowsAffected
    }

    init(columns: [String], values: [DatabaseValue], rowsAffected: Int) {
        self.init(columns: columns, values: ResultValues(values), rowsAffected: rowsAffected)
    }

    /// The number of rows returned.
    public var count: Int { columns.isEmpty ? 0 : values.count / columns.count }

    /// The rows, for reading columns by name or decoding one at a time.
    public var rows: [Row] {
        (0..<count).map { Row(result: self, index: $0) }
    }

    /// Decodes every row into `type`, matching columns to coding keys by name.
    public func decode<T: Decodable>(_ type: T.Type) throws -> [T] {
        let lookup = ColumnLookup(result: self, decodingEveryRow: true)
        // A loop, not `map`: unspecialized, `map` reads each index through a coroutine whose frame
        // it allocates, once per row.
        var decoded: [T] = []
        decoded.reserveCapacity(count)
        for index in 0..<count { decoded.append(try lookup.decode(type, row: index)) }
        return decoded
    }
}

/// One row of a ``QueryResult``.
public struct Row: Sendable {
    let result: QueryResult
    let index: Int

    /// The value of the named column, or `nil` when there is no such column.
    public subscript(column: String) -> DatabaseValue? {
        guard let position = result.columns.firstIndex(of: column) else { return nil }
        return self[position]
    }

    /// The value at a column position.
    public subscript(position: Int) -> DatabaseValue {
        result.values[index * result.columns.count + position]
    }

    /// Decodes this row into `type`.
    public func decode<T: Decodable>(_ type: T.Type) throws -> T {
        try ColumnLookup(result: result, decodingEveryRow: false).decode(type, row: index)
    }
}
