import Foundation

/// The result whose rows are being decoded, and how to find the column for a coding key in it: the
/// key itself (`owner_id`) or its snake_case form (`ownerId` → `owner_id`), so row structs can use
/// Swift names without custom `CodingKeys`.
///
/// A key is matched against the column names as it is, then as snake_case, byte by byte: a row is
/// often decoded once per request (the current user, the item read), so finding its columns must
/// cost less than converting its keys. Only a result of several rows remembers where each key was
/// found. The decoders of its rows hold it and a row number, which fits in an existential
/// `any Decoder` without a box.
final class ColumnLookup {
    let result: QueryResult
    private var columns: [String] { result.columns }
    /// Where the keys were found, in the order the first row asked for them: a type's `init(from:)`
    /// asks for the same keys in the same order on every row, so each later row checks a key against
    /// the next entry (the same string, compared at once) instead of searching the columns.
    private var foundKeys: [(key: String, position: Int?)] = []
    /// The entry of ``foundKeys`` the row being decoded comes to next.
    private var nextFoundKey = 0
    private let remembers: Bool

    /// A lookup for the rows of `result`; `decodingEveryRow` when it will decode them all, and so
    /// should remember where it found each key.
    init(result: QueryResult, decodingEveryRow: Bool) {
        self.result = result
        remembers = decodingEveryRow && result.count > 1
    }

    /// Where row `row`, column `position` is in the result's values.
    func index(row: Int, position: Int) -> Int {
        row * columns.count + position
    }

    func position(of key: String) -> Int? {
        guard remembers else { return search(key) }
        if nextFoundKey < foundKeys.count {
            // A key out of the first row's order (a type that decodes rows differently) is searched for.
            guard foundKeys[nextFoundKey].key == key else { return search(key) }
            nextFoundKey += 1
            return foundKeys[nextFoundKey - 1].position
        }
        let position = search(key)
        foundKeys.append((key, position))
        nextFoundKey += 1
        return position
    }

    private func search(_ key: String) -> Int? {
        if let position = columns.firstIndex(of: key) { return position }
        var key = key
        return key.withUTF8 { key -> Int? in
            guard key.allSatisfy({ $0 < 0x80 }) else {
                let snakeCased = Self.snakeCased(String(decoding: key, as: UTF8.self))
                return columns.firstIndex(of: snakeCased)
            }
            return columns.firstIndex { column in
                var column = column
                return column.withUTF8 { Self.isSnakeCase(of: key, $0) }
            }
        }
    }

    /// `ownerId` → `owner_id`, `isHTTPOnly` → `is_http_only`: the same rule as `@Schema` field
    /// names.
    static func snakeCased(_ key: String) -> String {
        var result = ""
        let characters = Array(key)
        for (index, character) in characters.enumerated() {
            if character.isUppercase {
                let previous = index > 0 ? characters[index - 1] : nil
                let next = index + 1 < characters.count ? characters[index + 1] : nil
                // A word starts after a lowercase letter or digit, or at the last capital of an acronym.
                if let previous, previous.isLowercase || previous.isNumber || (previous.isUppercase && next?.isLowercase == true) {
                    result.append("_")
                }
                result += character.lowercased()
            } else {
                result.append(character)
            }
        }
        return result
    }

    /// Whether `column` is ``snakeCased(_:)`` of an ASCII `key`, compared without building it.
    static func isSnakeCase(of key: UnsafeBufferPointer<UInt8>, _ column: UnsafeBufferPointer<UInt8>) -> Bool {
        let lower = UInt8(ascii: "a")...UInt8(ascii: "z")
        let upper = UInt8(ascii: "A")...UInt8(ascii: "Z")
        let digit = UInt8(ascii: "0")...UInt8(ascii: "9")
        var position = 0
        func expect(_ byte: UInt8) -> Bool {
            guard position < column.count, column[position] == byte else { return false }
            position += 1
            return true
        }
        for index in key.indices {
            let byte = key[index]
            guard upper.contains(byte) else {
                guard expect(byte) else { return false }
                continue
            }
            if index > 0 {
                let previous = key[index - 1]
                let next = index + 1 < key.count ? key[index + 1] : 0
                // As in `snakeCased(_:)`: after a lowercase letter or digit, or at an acronym's last capital.
                if lower.contains(previous) || digit.contains(previous) || (upper.contains(previous) && lower.contains(next)) {
                    guard expect(UInt8(ascii: "_")) else { return false }
                }
            }
            guard expect(byte | 0x20) else { return false }
        }
        return position == column.count
    }

    /// Decodes row `row` into `type`. The values of a one-column result convert straight from the
    /// column when their type is ``DatabaseValueConvertible`` (ids, dates), not through the type's
    /// `Decodable` conformance: Foundation's `UUID` parses its text there with `sscanf`, slow enough
    /// to show in a profile of the item read.
    func decode<T: Decodable>(_ type: T.Type, row: Int) throws -> T {
        nextFoundKey = 0
        if columns.count == 1, type is any DatabaseValueConvertible.Type {
            return try ColumnValueDecoder(lookup: self, index: index(row: row, position: 0), key: nil).decode(type)
        }
        return try T(from: RowDecoder(lookup: self, row: row))
    }
}

/// Decodes one ``Row`` into a `Decodable` type: keyed by column name, or, for a single-column
/// result, straight into a scalar (`Int`, `String`, ...).
struct RowDecoder: Decoder {
    let lookup: ColumnLookup
    let row: Int
    var codingPath: [any CodingKey] { [] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        KeyedDecodingContainer(RowContainer<Key>(lookup: lookup, row: row))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        throw DecodingError.typeMismatch(
            [Any].self, .init(codingPath: [], debugDescription: "A row decodes into a struct or a single value"))
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer {
        guard lookup.result.columns.count == 1 else {
            throw DecodingError.typeMismatch(
                Any.self,
                .init(
                    codingPath: [],
                    debugDescription: "Decoding a single value needs exactly one column, got \(lookup.result.columns)"))
        }
        return ColumnValueDecoder(lookup: lookup, index: lookup.index(row: row, position: 0), key: nil)
    }
}

/// The keyed view of a row.
private struct RowContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let lookup: ColumnLookup
    let row: Int
    var codingPath: [any CodingKey] { [] }

    var allKeys: [Key] { lookup.result.columns.compactMap { Key(stringValue: $0) } }

    func contains(_ key: Key) -> Bool {
        lookup.position(of: key.stringValue) != nil
    }

    /// The key's column, read as a value.
    private func column(_ key: Key) throws -> ColumnValueDecoder {
        guard let position = lookup.position(of: key.stringValue) else {
            throw DecodingError.keyNotFound(
                key,
                .init(
                    codingPath: [key],
                    debugDescription: "No column named '\(key.stringValue)' in \(lookup.result.columns)"))
        }
        return ColumnValueDecoder(lookup: lookup, index: lookup.index(row: row, position: position), key: key)
    }

    func decodeNil(forKey key: Key) throws -> Bool {
        try column(key).decodeNil()
    }

    // Each converts on the column itself: a helper generic over the value's type, in this type
    // generic over `Key`, would not be specialized (only a call whose every generic parameter is known
    // is), and would look the type's metadata up at run time for every value.
    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try column(key).convert() }
    func decode(_ type: String.Type, forKey key: Key) throws -> String { try column(key).convert() }
    func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try column(key).convert() }
    func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try column(key).convert() }
    func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try column(key).convert() }
    func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try column(key).convert() }
    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try column(key).convert() }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        try column(key).decode(type)
    }

    // An optional column found once, not three times (the protocol's defaults ask `contains`, then
    // `decodeNil`, then `decode`, each looking the column up).
    func decodeIfPresent(_ type: Bool.Type, forKey key: Key) throws -> Bool? { try columnIfPresent(key)?.convert() }
    func decodeIfPresent(_ type: String.Type, forKey key: Key) throws -> String? { try columnIfPresent(key)?.convert() }
    func decodeIfPresent(_ type: Double.Type, forKey key: Key) throws -> Double? { try columnIfPresent(key)?.convert() }
    func decodeIfPresent(_ type: Int.Type, forKey key: Key) throws -> Int? { try columnIfPresent(key)?.convert() }
    func decodeIfPresent(_ type: Int16.Type, forKey key: Key) throws -> Int16? { try columnIfPresent(key)?.convert() }
    func decodeIfPresent(_ type: Int32.Type, forKey key: Key) throws -> Int32? { try columnIfPresent(key)?.convert() }
    func decodeIfPresent(_ type: Int64.Type, forKey key: Key) throws -> Int64? { try columnIfPresent(key)?.convert() }

    func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
        try columnIfPresent(key)?.decode(type)
    }

    /// The key's column, or `nil` when there is no such column or it is NULL.
    private func columnIfPresent(_ key: Key) -> ColumnValueDecoder? {
        guard let position = lookup.position(of: key.stringValue) else { return nil }
        let column = ColumnValueDecoder(lookup: lookup, index: lookup.index(row: row, position: position), key: key)
        return column.decodeNil() ? nil : column
    }

    func nestedContainer<NestedKey: CodingKey>(
        keyedBy type: NestedKey.Type, forKey key: Key
    ) throws -> KeyedDecodingContainer<NestedKey> {
        throw unsupported(key)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        throw unsupported(key)
    }

    func superDecoder() throws -> any Decoder { RowDecoder(lookup: lookup, row: row) }
    func superDecoder(forKey key: Key) throws -> any Decoder { throw unsupported(key) }

    private func unsupported(_ key: Key) -> DecodingError {
        .typeMismatch(
            Any.self, .init(codingPath: [key], debugDescription: "Columns hold single values, not containers"))
    }
}

/// Decodes one column value: a ``DatabaseValueConvertible`` type directly, anything else (a
/// `RawRepresentable` enum, a wrapper) through its single-value `Decodable` conformance.
private struct ColumnValueDecoder: Decoder, SingleValueDecodingContainer {
    let lookup: ColumnLookup
    /// The column's place in the result's values.
    let index: Int
    /// The column's key in a keyed row; the path is built from it only when an error asks for it,
    /// not for every value decoded.
    let key: (any CodingKey)?
    var codingPath: [any CodingKey] { key.map { [$0] } ?? [] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        throw mismatch(type, "a column (a keyed container was asked for)")
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        throw mismatch([Any].self, "a column (an array was asked for)")
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer { self }

    /// The column's value, made into a ``DatabaseValue`` (and its text into a `String`) only when
    /// ``convert()`` cannot read it in place.
    private var value: DatabaseValue { lookup.result.values[index] }

    func decodeNil() -> Bool { lookup.result.values.isNull(at: index) }
    func decode(_ type: Bool.Type) throws -> Bool { try convert() }
    func decode(_ type: String.Type) throws -> String { try convert() }
    func decode(_ type: Double.Type) throws -> Double { try convert() }
    func decode(_ type: Float.Type) throws -> Float { Float(try convert() as Double) }
    func decode(_ type: Int.Type) throws -> Int { try convert() }
    func decode(_ type: Int8.Type) throws -> Int8 { try narrow(convert() as Int64) }
    func decode(_ type: Int16.Type) throws -> Int16 { try convert() }
    func decode(_ type: Int32.Type) throws -> Int32 { try convert() }
    func decode(_ type: Int64.Type) throws -> Int64 { try convert() }
    func decode(_ type: UInt.Type) throws -> UInt { try narrow(convert() as Int64) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try narrow(convert() as Int64) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try narrow(convert() as Int64) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try narrow(convert() as Int64) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try narrow(convert() as Int64) }

    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        // The common cases first, without a dynamic cast: `T` is the type just compared, so the bit
        // cast only names it. The rest is a function of its own, because what it needs (`T?`'s
        // metadata) would otherwise be looked up on entry, for every id and date too.
        if T.self == UUID.self { return unsafeBitCast(try convert() as UUID, to: T.self) }
        if T.self == Date.self { return unsafeBitCast(try convert() as Date, to: T.self) }
        return try decodeOther(type)
    }

    @inline(never)
    private func decodeOther<T: Decodable>(_ type: T.Type) throws -> T {
        if let convertible = type as? any DatabaseValueConvertible.Type {
            guard let converted = try convert(convertible) as? T else { throw mismatch(type, describing: value) }
            return converted
        }
        return try T(from: self)
    }

    func convert<T: DatabaseValueConvertible>(_ type: T.Type = T.self) throws -> T {
        guard let converted = lookup.result.values.convert(at: index, to: T.self) else { throw mismatch(T.self, describing: value) }
        return converted
    }

    private func narrow<T: FixedWidthInteger>(_ wide: Int64) throws -> T {
        guard let narrow = T(exactly: wide) else { throw mismatch(T.self, describing: value) }
        return narrow
    }

    private func mismatch(_ type: Any.Type, describing value: DatabaseValue) -> DecodingError {
        if value.isNull {
            return .valueNotFound(type, .init(codingPath: codingPath, debugDescription: "Column is NULL"))
        }
        return mismatch(type, value.kindDescription)
    }

    private func mismatch(_ type: Any.Type, _ found: String) -> DecodingError {
        .typeMismatch(
            type, .init(codingPath: codingPath, debugDescription: "Cannot read \(type) from \(found)"))
    }
}
