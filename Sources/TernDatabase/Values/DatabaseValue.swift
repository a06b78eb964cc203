/// A value as it crosses the boundary between Swift and a database: bound into a statement or read
/// from a result column.
///
/// Both dialects share these cases. PostgreSQL results arrive as text and are mapped by column type:
/// booleans, integers, floating-point numbers and `bytea` get their own case, everything else (`uuid`,
/// `timestamptz`, `numeric`, `json`, ...) stays ``text(_:)`` and is parsed when decoded.
public enum DatabaseValue: Sendable, Hashable {
    case null
    case bool(Bool)
    case integer(Int64)
    case double(Double)
    case text(String)
    case blob([UInt8])

    /// Whether the value is SQL `NULL`.
    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }
}

extension DatabaseValue {
    /// The kind of value, for error messages that must not echo the value itself (it may be a secret).
    var kindDescription: String {
        switch self {
        case .null: "NULL"
        case .bool: "a boolean"
        case .integer: "an integer"
        case .double: "a floating-point number"
        case .text: "text"
        case .blob: "a blob"
        }
    }
}
