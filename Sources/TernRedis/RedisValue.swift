/// A reply from Redis (RESP2), typed.
///
/// An error reply to a command is thrown as ``RedisError``; inside an array (a pipeline's results, a
/// transaction's) it stays a value, ``error(_:)``, so that one failed command does not hide the others.
public enum RedisValue: Sendable, Hashable {
    /// `+OK`: a status.
    case simpleString(String)
    /// `$`: binary-safe bytes.
    case bulkString([UInt8])
    case integer(Int64)
    case array([RedisValue])
    /// A missing key or value (`$-1`, `*-1`).
    case null
    case error(RedisServerError)

    /// The bytes as UTF-8 text, for a bulk or simple string.
    public var string: String? {
        switch self {
        case .simpleString(let text): text
        case .bulkString(let bytes): String(decoding: bytes, as: UTF8.self)
        default: nil
        }
    }

    /// The bytes of a bulk string.
    public var bytes: [UInt8]? {
        if case .bulkString(let bytes) = self { return bytes }
        return nil
    }

    /// An integer reply, or a bulk string holding one (as `GET` of a counter returns).
    public var integer: Int64? {
        switch self {
        case .integer(let value): value
        case .bulkString(let bytes): Int64(String(decoding: bytes, as: UTF8.self))
        default: nil
        }
    }

    public var array: [RedisValue]? {
        if case .array(let values) = self { return values }
        return nil
    }

    public var isNull: Bool { self == .null }
}

/// An error reply from the server: its prefix (`ERR`, `WRONGTYPE`, `NOSCRIPT`, ...) and message.
public struct RedisServerError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The first word of the reply, by which Redis classifies its errors.
    public let prefix: String
    /// The whole reply text, prefix included.
    public let message: String

    public init(message: String) {
        self.message = message
        prefix = message.prefix { $0 != " " }.uppercased()
    }

    public var description: String { message }
}
