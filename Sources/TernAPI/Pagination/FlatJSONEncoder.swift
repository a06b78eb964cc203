/// Writes a flat `Encodable` struct (a page position: a timestamp and an id, say) as a compact JSON
/// object, for ``PageCursors``: every page of a list makes a cursor, and Foundation's `JSONEncoder`
/// takes microseconds for two fields, most of a cursor's cost.
///
/// Each field must be a string, a number, a boolean, `nil`, or a value that encodes itself as one
/// of those (a `UUID` as its text, a `Date` as a number, as `JSONEncoder` writes them by default).
/// Anything else (a nested object, an array, a value that is not a struct) is `nil`, and the caller
/// falls back to `JSONEncoder`. Keys come in the order the value encodes them.
enum FlatJSONEncoder {
    static func encode(_ value: some Encodable) -> [UInt8]? {
        let output = Output()
        do {
            try value.encode(to: FieldEncoder(output: output, isTopLevel: true))
        } catch {
            return nil
        }
        guard output.isValid, output.hasOpenObject else { return nil }
        output.writer.endObject()
        return output.writer.bytes
    }

    /// What has been written, and whether the value kept to the flat shape (containers cannot throw
    /// when they are asked for, so a wrong one marks the output invalid instead).
    fileprivate final class Output {
        var writer = JSONWriter(reservingCapacity: 96)
        var isValid = true
        var hasOpenObject = false
        /// Whether the field being written has received its value.
        var wroteValue = false
    }

    /// The encoder of the top-level struct (which must ask for a keyed container) and of each field
    /// (which must ask for a single value).
    fileprivate struct FieldEncoder: Encoder {
        let output: Output
        let isTopLevel: Bool
        var codingPath: [any CodingKey] { [] }
        var userInfo: [CodingUserInfoKey: Any] { [:] }

        func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
            if isTopLevel && !output.hasOpenObject {
                output.hasOpenObject = true
                output.writer.beginObject()
            } else {
                output.isValid = false
            }
            return KeyedEncodingContainer(ObjectContainer<Key>(output: output))
        }

        func unkeyedContainer() -> any UnkeyedEncodingContainer {
            output.isValid = false
            return Unsupported()
        }

        func singleValueContainer() -> any SingleValueEncodingContainer {
            if isTopLevel { output.isValid = false }
            return ValueContainer(output: output)
        }
    }

    fileprivate struct ObjectContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
        let output: Output
        var codingPath: [any CodingKey] { [] }

        // A field of a primitive type comes to the generic `encode` below too, and writes its value
        // through a `ValueContainer` like any other: one path for every field.
        mutating func encodeNil(forKey key: Key) throws {
            guard output.isValid else { throw Unsupported.error }
            output.writer.key(key.stringValue)
            output.writer.null()
        }

        mutating func encode(_ value: some Encodable, forKey key: Key) throws {
            guard output.isValid else { throw Unsupported.error }
            output.writer.key(key.stringValue)
            output.wroteValue = false
            try value.encode(to: FieldEncoder(output: output, isTopLevel: false))
            // A value that wrote nothing (or more than one value) is not a flat field.
            guard output.wroteValue else { throw Unsupported.error }
        }

        mutating func nestedContainer<NestedKey: CodingKey>(
            keyedBy keyType: NestedKey.Type, forKey key: Key
        ) -> KeyedEncodingContainer<NestedKey> {
            output.isValid = false
            return KeyedEncodingContainer(ObjectContainer<NestedKey>(output: output))
        }

        mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
            output.isValid = false
            return Unsupported()
        }

        mutating func superEncoder() -> any Encoder { unsupportedEncoder }
        mutating func superEncoder(forKey key: Key) -> any Encoder { unsupportedEncoder }

        private var unsupportedEncoder: any Encoder {
            output.isValid = false
            return FieldEncoder(output: output, isTopLevel: false)
        }
    }

    /// A field's one value (a `UUID` writes its text here).
    fileprivate struct ValueContainer: SingleValueEncodingContainer {
        let output: Output
        var codingPath: [any CodingKey] { [] }

        mutating func encodeNil() throws { try value { $0.null() } }
        mutating func encode(_ value: Bool) throws { try self.value { $0.bool(value) } }
        mutating func encode(_ value: String) throws { try self.value { $0.string(value) } }
        mutating func encode(_ value: Double) throws { try self.value { $0.double(value) } }
        mutating func encode(_ value: Float) throws { try self.value { $0.double(Double(value)) } }
        mutating func encode(_ value: Int) throws { try self.value { $0.integer(value) } }
        mutating func encode(_ value: Int8) throws { try self.value { $0.integer(value) } }
        mutating func encode(_ value: Int16) throws { try self.value { $0.integer(value) } }
        mutating func encode(_ value: Int32) throws { try self.value { $0.integer(value) } }
        mutating func encode(_ value: Int64) throws { try self.value { $0.integer(value) } }
        mutating func encode(_ value: UInt) throws { try self.value { $0.integer(value) } }
        mutating func encode(_ value: UInt8) throws { try self.value { $0.integer(value) } }
        mutating func encode(_ value: UInt16) throws { try self.value { $0.integer(value) } }
        mutating func encode(_ value: UInt32) throws { try self.value { $0.integer(value) } }
        mutating func encode(_ value: UInt64) throws { try self.value { $0.integer(value) } }

        mutating func encode(_ value: some Encodable) throws {
            // A value wrapping another (a `RawRepresentable` enum, a wrapper struct) passes it on.
            try value.encode(to: FieldEncoder(output: output, isTopLevel: false))
        }

        private func value(_ write: (inout JSONWriter) -> Void) throws {
            guard output.isValid, !output.wroteValue else { throw Unsupported.error }
            output.wroteValue = true
            write(&output.writer)
        }
    }

    /// What an unsupported shape gets: an array container whose every write fails.
    fileprivate struct Unsupported: UnkeyedEncodingContainer {
        static var error: EncodingError {
            .invalidValue((), .init(codingPath: [], debugDescription: "not a flat struct of single values"))
        }
        var codingPath: [any CodingKey] { [] }
        var count: Int { 0 }

        mutating func encodeNil() throws { throw Self.error }
        mutating func encode(_ value: some Encodable) throws { throw Self.error }
        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
            KeyedEncodingContainer(ObjectContainer<NestedKey>(output: Output()))
        }
        mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer { self }
        mutating func superEncoder() -> any Encoder { FieldEncoder(output: Output(), isTopLevel: false) }
    }
}
