/// What the client span of a round trip is named and records, after OpenTelemetry's conventions for
/// databases: one statement's span is named by its verb (`SELECT`), with its text; several make a
/// `BATCH` span (`BATCH SELECT` when they share a verb), with their texts and their number.
struct StatementSpan: Equatable {
    let name: String
    let text: String
    /// The number of statements, for a batch.
    let batchSize: Int?

    init(name: String, text: String, batchSize: Int?) {
        (self.name, self.text, self.batchSize) = (name, text, batchSize)
    }

    init(_ statements: [BoundStatement]) {
        guard statements.count > 1 else {
            self.init(name: Self.verb(of: statements[0].text), text: statements[0].text, batchSize: nil)
            return
        }
        let verbs = Set(statements.map { Self.verb(of: $0.text) })
        self.init(
            name: "BATCH" + (verbs.count == 1 ? " " + verbs.first! : ""), text: statements.map(\.text).joined(separator: ";\n"),
            batchSize: statements.count)
    }

    /// A statement's first word, upper-cased (`SELECT`), or `SQL` for none.
    private static func verb(of text: String) -> String {
        let verb = text.prefix { $0 != " " && $0 != "\n" }.uppercased()
        return verb.isEmpty ? "SQL" : verb
    }
}
