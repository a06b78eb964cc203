import Foundation

/// A SQL statement whose values travel separately from its text.
///
/// Write statements as string literals and interpolate values; every interpolated value becomes a bound
/// parameter (`$1` on PostgreSQL, `?1` on SQLite), never text spliced into the statement:
///
/// ```swift
/// let sql: SQL = "SELECT id, title FROM item WHERE owner_id = \(ownerID) LIMIT \(limit)"
/// ```
///
/// Because a `SQL` value can only be built from literals, bound values and other `SQL` values, user
/// input cannot change a statement's structure: injection is impossible by construction. The only
/// way to put run-time text into the statement itself is ``appendInterpolation(identifier:)``, which
/// quotes what it is given.
public struct SQL: Sendable, Hashable, ExpressibleByStringInterpolation, CustomStringConvertible {
    /// One piece of a statement: literal text or a value to bind.
    @usableFromInline
    enum Fragment: Sendable, Hashable {
        case text(String)
        case value(DatabaseValue)
    }

    @usableFromInline
    var fragments: [Fragment]

    /// Creates a statement from a literal without interpolations.
    public init(stringLiteral value: String) {
        self.fragments = [.text(value)]
    }

    /// Creates a statement from an interpolated literal; see ``Interpolation``.
    public init(stringInterpolation: Interpolation) {
        self.fragments = stringInterpolation.fragments
    }

    /// The values that will be bound, in order.
    public var bindings: [DatabaseValue] {
        fragments.compactMap { fragment in
            if case .value(let value) = fragment { return value }
            return nil
        }
    }

    /// The statement text with placeholders, as the server will see it.
    public func text(for dialect: SQLDialect) -> String {
        var text = ""
        var index = 0
        for fragment in fragments {
            switch fragment {
            case .text(let literal):
                text += literal
            case .value:
                index += 1
                text += dialect.placeholder(index)
            }
        }
        return text
    }

    /// The statement with `$n` placeholders; values are not shown, so it is safe to log.
    public var description: String { text(for: .postgres) }

    /// Appends another statement, for building queries piece by piece.
    public static func + (lhs: SQL, rhs: SQL) -> SQL {
        var result = lhs
        result.fragments += rhs.fragments
        return result
    }

    /// Joins statements with a separator, for example the `SET` clauses of a partial update.
    public static func joined(_ parts: [SQL], separator: String) -> SQL {
        var result = SQL(stringLiteral: "")
        for (offset, part) in parts.enumerated() {
            if offset > 0 { result.fragments.append(.text(separator)) }
            result.fragments += part.fragments
        }
        return result
    }
}

extension SQL {
    /// Builds a ``SQL`` from literal text and interpolated values.
    public struct Interpolation: StringInterpolationProtocol, Sendable {
        @usableFromInline
        var fragments: [Fragment] = []

        public init(literalCapacity: Int, interpolationCount: Int) {
            fragments.reserveCapacity(interpolationCount * 2 + 1)
        }

        public mutating func appendLiteral(_ literal: String) {
            guard !literal.isEmpty else { return }
            fragments.append(.text(literal))
        }

        /// Binds a value.
        @inlinable
        public mutating func appendInterpolation(_ value: some DatabaseValueConvertible) {
            fragments.append(.value(value.databaseValue))
        }

        /// Binds an optional value; `nil` becomes `NULL`.
        @inlinable
        public mutating func appendInterpolation(_ value: (some DatabaseValueConvertible)?) {
            fragments.append(.value(value?.databaseValue ?? .null))
        }

        /// Embeds another statement, keeping its bound values bound.
        public mutating func appendInterpolation(_ sql: SQL) {
            fragments += sql.fragments
        }

        /// Binds each value of a list, comma-separated, for `IN (...)` clauses.
        public mutating func appendInterpolation(list values: some Sequence<some DatabaseValueConvertible>) {
            for (offset, value) in values.enumerated() {
                if offset > 0 { fragments.append(.text(", ")) }
                fragments.append(.value(value.databaseValue))
            }
        }

        /// Embeds an identifier (table or column name) chosen at run time, double-quoted and escaped.
        public mutating func appendInterpolation(identifier: String) {
            let escaped = identifier.replacingOccurrences(of: "\"", with: "\"\"")
            fragments.append(.text("\"\(escaped)\""))
        }
    }
}
