/// The SQL flavour a database speaks. Repositories rarely need it: statements, placeholders, values and
/// transactions are translated by this module. It is exposed for the few places where SQL must differ,
/// such as per-dialect migration files.
public enum SQLDialect: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    case postgres
    case sqlite

    /// The length in bytes of the placeholder for the `index`-th bound value (1-based, `$1` on
    /// PostgreSQL, `?1` on SQLite): its sign and the index's digits.
    static func placeholderLength(_ index: Int) -> Int {
        var digits = 1
        var rest = index / 10
        while rest > 0 { (digits, rest) = (digits + 1, rest / 10) }
        return 1 + digits
    }

    /// Writes the `index`-th placeholder into `buffer` at `offset`; returns the offset after it.
    func writePlaceholder(_ index: Int, into buffer: UnsafeMutableBufferPointer<UInt8>, at offset: Int) -> Int {
        let end = offset + Self.placeholderLength(index)
        buffer[offset] = self == .postgres ? UInt8(ascii: "$") : UInt8(ascii: "?")
        var rest = index
        for position in stride(from: end - 1, to: offset, by: -1) {
            buffer[position] = UInt8(ascii: "0") + UInt8(rest % 10)
            rest /= 10
        }
        return end
    }

    public var description: String { rawValue }
}
