/// One argument of a command: text, bytes or an integer, written as a RESP bulk string.
///
/// ```swift
/// try await redis.send("SET", .string(key), .bytes(value), "PX", .integer(60_000))
/// ```
public enum RedisArgument: Sendable, Hashable, ExpressibleByStringLiteral, ExpressibleByIntegerLiteral {
    case string(String)
    case bytes([UInt8])
    case integer(Int64)

    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int64) { self = .integer(value) }
}

extension [RedisArgument] {
    /// The name of the command these arguments make (`GET`), for metrics and traces.
    var commandName: String {
        guard case .string(let name) = first else { return "?" }
        return name.uppercased()
    }
}
