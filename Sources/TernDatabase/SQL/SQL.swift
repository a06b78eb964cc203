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
/// A `SQL` value is built from string literals (the compiler checks that they are literals: they are
/// `StaticString`s), bound values and other `SQL` values, so user input cannot change a statement's
/// structure: injection is impossible by construction. Run-time text enters a statement through two
/// doors only: ``Interpolation/appendInterpolation(identifier:)``, which quotes a name, and
/// ``init(unsafeSQL:)``, which says in its name that the caller vouches for the text.
public struct SQL: Sendable, Hashable, ExpressibleByStringInterpolation, CustomStringConvertible {
    /// One piece of a statement: literal text or a value to bind.
    @usableFromInline
    enum Fragment: Sendable, Hashable {
        /// The source's own literal, kept as it is: a statement built per query allocates no string
        /// for its text until it is rendered (``SQL/text(for:)``), once.
        case literal(StaticString)
        /// Text made at run time (a quoted identifier, `unsafeSQL`).
        case text(String)
        case value(DatabaseValue)

        /// Literal and run-time text compare by their characters: how a piece was made is not part
        /// of the statement.
        @usableFromInline
        static func == (lhs: Fragment, rhs: Fragment) -> Bool {
            switch (lhs, rhs) {
            case (.value(let left), .value(let right)): left == right
            case (.value, _), (_, .value): false
            default: lhs.characters == rhs.characters
            }
        }

        @usableFromInline
        func hash(into hasher: inout Hasher) {
            switch self {
            case .value(let value): hasher.combine(value)
            default: hasher.combine(characters)
            }
        }

        /// The fragment's text, for one that is text (a name apart from the `text` case's).
        private var characters: String? {
            switch self {
            case .literal(let literal): literal.description
            case .text(let text): text
            case .value: nil
            }
        }
    }

    @usableFromInline
    var fragments: [Fragment]

    /// Creates a statement from a literal without interpolations.
    public init(stringLiteral value: StaticString) {
        self.fragments = [.literal(value)]
    }

    /// Creates a statement from run-time text, which becomes part of the statement as it is.
    ///
    /// The one way to put text that is not a literal into SQL. Never pass anything a client sent: use
    /// interpolation to bind values, and `\(identifier:)` for names chosen at run time.
    public init(unsafeSQL text: String) {
        self.fragments = [.text(text)]
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
        // Measured first, then written in place: one allocation, however many pieces.
        var length = 0
        var index = 0
        for fragment in fragments {
            switch fragment {
            case .literal(let literal): length += literal.utf8CodeUnitCount
            case .text(let text): length += text.utf8.count
            case .value:
                index += 1
                length += SQLDialect.placeholderLength(index)
            }
        }
        return String(unsafeUninitializedCapacity: length) { buffer in
            var written = 0
            var index = 0
            for fragment in fragments {
                switch fragment {
                case .literal(let literal):
                    literal.withUTF8Buffer { written = buffer[written...].initialize(fromContentsOf: $0) }
                case .text(var text):
                    text.withUTF8 { written = buffer[written...].initialize(fromContentsOf: $0) }
                case .value:
                    index += 1
                    written = dialect.writePlaceholder(index, into: buffer, at: written)
                }
            }
            return written
        }
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
    public static func joined(_ parts: [SQL], separator: SQL) -> SQL {
        var result = SQL(fragments: [])
        for (offset, part) in parts.enumerated() {
            if offset > 0 { result.fragments += separator.fragments }
            result.fragments += part.fragments
        }
        return result
    }

    private init(fragments: [Fragment]) {
        self.fragments = fragments
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

        /// Appends a literal piece of the statement; only the compiler's literals are accepted.
        public mutating func appendLiteral(_ literal: StaticString) {
            guard literal.utf8CodeUnitCount > 0 else { return }
            fragments.append(.literal(literal))
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
