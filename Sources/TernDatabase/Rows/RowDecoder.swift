import Foundation
import Synchronization

/// The result whose rows are being decoded, and how to find the column for a coding key in it: the
/// key itself (`owner_id`) or its snake_case form (`ownerId` → `owner_id`), so row structs can use
/// Swift names without custom `CodingKeys`.
///
/// A key named as its column is found by comparing names, which costs less than hashing the key;
/// the others' answers are remembered, so decoding many rows converts each key once. The decoders
/// of its rows hold it and a row number, which fits in an existential `any Decoder` without a box.
final class ColumnLookup {
    let result: QueryResult
    private var columns: [String] { result.columns }
    private var convertedPositions: [String: Int?] = [:]

    init(result: QueryResult) {
        self.result = result
    }

    /// The value of row `row`, column `position`.
    func value(row: Int, position: Int) -> DatabaseValue {
        result.values[row * columns.count + position]
    }

    func position(of key: String) -> Int? {
        if let position = columns.firstIndex(of: key) { return position }
        if let known = convertedPositions[key] { return known }
        let position = columns.firstIndex(of: Self.snakeCased(key))
        convertedPositions[key] = position
        return position
    }

    /// `ownerId` → `owner_id`, `isHTTPOnly` → `is_http_only` (the same rule as `@Schema` field
    /// names), remembered process-wide: coding keys are a small, fixed set.
    static func snakeCased(_ key: String) -> String {
        if let known = snakeCaseCache.withLock({ $0[key] }) { return known }
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
        snakeCaseCache.withLock { cache in
            if cache.count < 10_000 { cache[key] = result }
        }
        return result
    }

    private static let snakeCaseCache = Mutex<[String: String]>([:])
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
        return ColumnValueDecoder(value: lookup.value(row: row, position: 0), key: nil)
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

    private func value(for key: Key) throws -> DatabaseValue {
        guard let position = lookup.position(of: key.stringValue) else {
            throw DecodingError.keyNotFound(
                key,
                .init(
                    codingPath: [key],
                    debugDescription: "No column named '\(key.stringValue)' in \(lookup.result.columns)"))
        }
        return lookup.value(row: row, position: position)
    }

    func decodeNil(forKey key: Key) throws -> Bool {
        try value(for: key).isNull
    }

    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try convert(key) }
    func decode(_ type: String.Type, forKey key: Key) throws -> String { try convert(key) }
    func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try convert(key) }
    func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try convert(key) }
    func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try convert(key) }
    func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try convert(key) }
    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try convert(key) }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        try ColumnValueDecoder(value: value(for: key), key: key).decode(type)
    }

    private func convert<T: DatabaseValueConvertible>(_ key: Key) throws -> T {
        try ColumnValueDecoder(value: value(for: key), key: key).convert()
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
    let value: DatabaseValue
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

    func decodeNil() -> Bool { value.isNull }
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
        // The common cases first, without a dynamic cast.
        if T.self == UUID.self { return try convert() as UUID as! T }
        if T.self == Date.self { return try convert() as Date as! T }
        if let convertible = type as? any DatabaseValueConvertible.Type {
            guard let converted = convertible.init(databaseValue: value) as? T else {
                throw mismatch(type, describing: value)
            }
            return converted
        }
        return try T(from: self)
    }

    func convert<T: DatabaseValueConvertible>() throws -> T {
        guard let converted = T(databaseValue: value) else { throw mismatch(T.self, describing: value) }
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
