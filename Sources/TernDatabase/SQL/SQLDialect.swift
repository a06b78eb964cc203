/// The SQL flavour a database speaks. Repositories rarely need it: statements, placeholders, values and
/// transactions are translated by this module. It is exposed for the few places where SQL must differ,
/// such as per-dialect migration files.
public enum SQLDialect: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    case postgres
    case sqlite

    /// The placeholder for the `index`-th bound value (1-based).
    func placeholder(_ index: Int) -> String {
        switch self {
        case .postgres: "$\(index)"
        case .sqlite: "?\(index)"
        }
    }

    public var description: String { rawValue }
}
