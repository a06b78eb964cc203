import CLibPQ

/// A statement prepared on one connection: its server-side name (empty for the unnamed statement,
/// when caching is off) and, once it has answered, its result's columns.
final class PostgresPreparedStatement {
    let name: String
    private var knownColumns: PostgresResultReader.Columns?

    init(name: String) {
        self.name = name
    }

    var isNamed: Bool { !name.isEmpty }

    /// The columns of `result`, one of this statement's: read from it the first time, then known.
    func columns(of result: OpaquePointer) -> PostgresResultReader.Columns {
        if let knownColumns, knownColumns.names.count == Int(PQnfields(result)) { return knownColumns }
        let columns = PostgresResultReader.columns(of: result)
        // The unnamed statement is parsed again for every use: its next result may be another query's.
        if isNamed { knownColumns = columns }
        return columns
    }
}
