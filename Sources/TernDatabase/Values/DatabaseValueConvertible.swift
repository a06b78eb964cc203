import Foundation
import TernPrimitives

/// A Swift type that can be bound into a ``SQL`` statement and read back from a result column.
///
/// Conformances exist for the types repositories use: integers, `Double`, `Bool`, `String`, `UUID`,
/// `Date` and `Data`. Add one for your own value types (an enum backed by a string, say) by mapping to
/// and from an existing conformance; implement ``init(databaseText:)`` too when the type can be read
/// from text's bytes without a `String` in between.
public protocol DatabaseValueConvertible: Sendable {
    /// The value to bind.
    var databaseValue: DatabaseValue { get }

    /// Reads a value from a column; `nil` when the column holds something this type cannot represent.
    init?(databaseValue: DatabaseValue)

    /// Reads a value from a text column's UTF-8, as the database sent it; `nil` when it is not one.
    ///
    /// Rows are decoded through this. The default makes a `String` and calls
    /// ``DatabaseValueConvertible/init(databaseValue:)``; a type that parses the bytes themselves
    /// (`UUID`, `Date`) implements it and saves that `String`.
    init?(databaseText utf8: UnsafeBufferPointer<UInt8>)
}

extension DatabaseValueConvertible {
    public init?(databaseText utf8: UnsafeBufferPointer<UInt8>) {
        self.init(databaseValue: .text(String(decoding: utf8, as: UTF8.self)))
    }
}

extension Int: DatabaseValueConvertible {}
extension Int64: DatabaseValueConvertible {}
extension Int32: DatabaseValueConvertible {}
extension Int16: DatabaseValueConvertible {}

extension FixedWidthInteger where Self: DatabaseValueConvertible {
    public var databaseValue: DatabaseValue { .integer(Int64(self)) }

    public init?(databaseValue: DatabaseValue) {
        switch databaseValue {
        case .integer(let value): self.init(exactly: value)
        case .text(let text): self.init(text)
        case .bool(let value): self = value ? 1 : 0
        default: return nil
        }
    }
}

extension Double: DatabaseValueConvertible {
    public var databaseValue: DatabaseValue { .double(self) }

    public init?(databaseValue: DatabaseValue) {
        switch databaseValue {
        case .double(let value): self = value
        case .integer(let value): self = Double(value)
        case .text(let text): self.init(text)
        default: return nil
        }
    }
}

extension Bool: DatabaseValueConvertible {
    public var databaseValue: DatabaseValue { .bool(self) }

    public init?(databaseValue: DatabaseValue) {
        switch databaseValue {
        case .bool(let value): self = value
        case .integer(let value) where value == 0 || value == 1: self = value == 1
        case .text("t"), .text("true"), .text("1"): self = true
        case .text("f"), .text("false"), .text("0"): self = false
        default: return nil
        }
    }
}

extension String: DatabaseValueConvertible {
    public var databaseValue: DatabaseValue { .text(self) }

    public init?(databaseValue: DatabaseValue) {
        guard case .text(let text) = databaseValue else { return nil }
        self = text
    }

    public init?(databaseText utf8: UnsafeBufferPointer<UInt8>) {
        self.init(decoding: utf8, as: UTF8.self)
    }
}

extension UUID: DatabaseValueConvertible {
    /// UUIDs are bound as lowercase text: PostgreSQL casts it to `uuid`, SQLite stores it as `TEXT`.
    public var databaseValue: DatabaseValue { .text(lowercasedString) }

    public init?(databaseValue: DatabaseValue) {
        guard case .text(let text) = databaseValue else { return nil }
        self.init(canonical: text)
    }

    public init?(databaseText utf8: UnsafeBufferPointer<UInt8>) {
        self.init(canonicalUTF8: utf8)
    }
}

extension Date: DatabaseValueConvertible {
    /// Dates are bound as ISO 8601 UTC text with microseconds, which PostgreSQL reads as `timestamptz`
    /// and which sorts correctly as SQLite `TEXT`.
    public var databaseValue: DatabaseValue { .text(ISO8601Timestamp.format(self)) }

    public init?(databaseValue: DatabaseValue) {
        guard case .text(let text) = databaseValue, let date = ISO8601Timestamp.parse(text) else { return nil }
        self = date
    }

    public init?(databaseText utf8: UnsafeBufferPointer<UInt8>) {
        guard let date = ISO8601Timestamp.parse(utf8: utf8) else { return nil }
        self = date
    }
}

extension Data: DatabaseValueConvertible {
    public var databaseValue: DatabaseValue { .blob(Array(self)) }

    public init?(databaseValue: DatabaseValue) {
        guard case .blob(let bytes) = databaseValue else { return nil }
        self.init(bytes)
    }
}

extension DatabaseValue: DatabaseValueConvertible {
    public var databaseValue: DatabaseValue { self }

    public init?(databaseValue: DatabaseValue) {
        self = databaseValue
    }
}
