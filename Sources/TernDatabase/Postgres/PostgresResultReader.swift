import CLibPQ
import TernPrimitives

/// Turns a libpq result (text format) into a ``QueryResult``, mapping well-known column types to
/// their own ``DatabaseValue`` case and keeping the rest as text (its bytes, ``ResultValues``) for
/// the decoder to parse.
enum PostgresResultReader {
    /// Type OIDs from `pg_type`.
    private enum TypeOID {
        static let bool: Oid = 16
        static let bytea: Oid = 17
        static let int8: Oid = 20
        static let int2: Oid = 21
        static let int4: Oid = 23
        static let oid: Oid = 26
        static let float4: Oid = 700
        static let float8: Oid = 701
    }

    /// A result's column names and their types.
    struct Columns {
        let names: [String]
        let types: [Oid]
    }

    static func columns(of result: OpaquePointer) -> Columns {
        let count = PQnfields(result)
        return Columns(
            names: (0..<count).map { String(cString: PQfname(result, $0)) },
            types: (0..<count).map { PQftype(result, $0) })
    }

    /// Reads `result`, whose columns are `columns` (from ``columns(of:)``, now or for an earlier
    /// result of the same prepared statement).
    static func read(_ result: OpaquePointer, columns: Columns, rowsAffected: Int) -> QueryResult {
        let columnCount = columns.names.count
        let rowCount = Int(PQntuples(result))
        let types = columns.types
        var values = ResultValues()
        values.reserveCapacity(rowCount * columnCount, textBytes: textBytes(result, rows: rowCount, columns: columnCount))
        for row in 0..<Int32(rowCount) {
            for column in 0..<Int32(columnCount) {
                if PQgetisnull(result, row, column) != 0 {
                    values.append(.null)
                    continue
                }
                let bytes = UnsafeRawBufferPointer(
                    start: PQgetvalue(result, row, column), count: Int(PQgetlength(result, row, column)))
                if let value = value(bytes, type: types[Int(column)]) {
                    values.append(value)
                } else {
                    values.appendText(bytes)
                }
            }
        }
        return QueryResult(columns: columns.names, values: values, rowsAffected: rowsAffected)
    }

    /// The bytes of every value of `result`: an upper bound on its text, so that the text's buffer is
    /// allocated once.
    private static func textBytes(_ result: OpaquePointer, rows: Int, columns: Int) -> Int {
        var total = 0
        for row in 0..<Int32(rows) {
            for column in 0..<Int32(columns) { total += Int(PQgetlength(result, row, column)) }
        }
        return total
    }

    /// The rows a command inserted, updated, deleted or returned (`PQcmdTuples`, read in place);
    /// 0 for commands that report none.
    static func rowsAffected(_ result: OpaquePointer) -> Int {
        guard let tuples = PQcmdTuples(result) else { return 0 }
        var length = 0
        while tuples[length] != 0 { length += 1 }
        return parseInteger(UnsafeRawBufferPointer(start: tuples, count: length)).map { Int($0) } ?? 0
    }

    /// The value of a column whose type has its own ``DatabaseValue`` case; `nil` for text (and for
    /// anything that does not parse as its type, which is then kept as text).
    private static func value(_ bytes: UnsafeRawBufferPointer, type: Oid) -> DatabaseValue? {
        switch type {
        case TypeOID.bool:
            return .bool(bytes.first == UInt8(ascii: "t"))
        case TypeOID.int2, TypeOID.int4, TypeOID.int8, TypeOID.oid:
            return parseInteger(bytes).map(DatabaseValue.integer)
        case TypeOID.float4, TypeOID.float8:
            return Double(String(decoding: bytes, as: UTF8.self)).map(DatabaseValue.double)
        case TypeOID.bytea:
            return parseHexBytea(bytes).map(DatabaseValue.blob)
        default:
            return nil
        }
    }

    private static func parseInteger(_ bytes: UnsafeRawBufferPointer) -> Int64? {
        var index = 0
        let negative = bytes.first == UInt8(ascii: "-")
        if negative { index = 1 }
        guard index < bytes.count else { return nil }
        var value: Int64 = 0
        while index < bytes.count {
            let digit = bytes[index] &- UInt8(ascii: "0")
            guard digit < 10 else { return nil }
            let (shifted, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (next, overflow2) =
                negative
                ? shifted.subtractingReportingOverflow(Int64(digit)) : shifted.addingReportingOverflow(Int64(digit))
            guard !overflow1, !overflow2 else { return nil }
            value = next
            index += 1
        }
        return value
    }

    /// Reads `bytea` in PostgreSQL's hex output format (`\x0a1b...`).
    private static func parseHexBytea(_ bytes: UnsafeRawBufferPointer) -> [UInt8]? {
        guard bytes.count >= 2, bytes[0] == UInt8(ascii: "\\"), bytes[1] == UInt8(ascii: "x"),
            bytes.count % 2 == 0
        else { return nil }
        var blob: [UInt8] = []
        blob.reserveCapacity((bytes.count - 2) / 2)
        var index = 2
        while index < bytes.count {
            guard let high = bytes[index].hexDigitValue, let low = bytes[index + 1].hexDigitValue else { return nil }
            blob.append(high << 4 | low)
            index += 2
        }
        return blob
    }
}
