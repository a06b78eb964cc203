/// Several SQL statements run as one text, without bound values: the body of a migration file.
///
/// A script is executed as written, so it must come from a trusted source (a file in the repository),
/// never from user input. Queries that carry values use ``SQL`` instead.
public struct SQLScript: Sendable, Hashable {
    /// The statements, separated by semicolons.
    public let text: String

    /// Wraps trusted SQL text.
    public init(_ text: String) {
        self.text = text
    }
}
