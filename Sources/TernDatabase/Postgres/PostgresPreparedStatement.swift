import CLibPQ

/// A statement prepared on one connection: its server-side name (empty for the unnamed statement,
/// when caching is off) and, once it has answered, its result's columns.
final class PostgresPreparedStatement {
    let name: String
    /// `name` as libpq takes it, made once: passing the `String` made a C copy of a short name (held
    /// inline, as "tern_12" is) on every execution.
    private let nameInC: ContiguousArray<CChar>
    private var knownColumns: PostgresResultReader.Columns?

    init(name: String) {
        self.name = name
        nameInC = name.utf8CString
    }

    /// Calls `body` with `name` as a C string, valid only during the call.
    func withName<R>(_ body: (UnsafePointer<CChar>) -> R) -> R {
        nameInC.withUnsafeBufferPointer { body($0.baseAddress!) }
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
