/// Collects validation issues while a request is checked, so that every problem is reported at once.
public struct ValidationIssues: Sendable {
    public private(set) var all: [ValidationIssue] = []

    public init() {}

    public var isEmpty: Bool { all.isEmpty }

    /// Records an issue of a type of the app's own (a rule no ``IssueKind`` describes).
    public mutating func append(_ issue: ValidationIssue) {
        all.append(issue)
    }

    /// Records an issue of a common kind (see ``IssueKind``).
    public mutating func report(_ kind: IssueKind, at location: IssueLocation, input: JSONValue) {
        all.append(kind.issue(at: location, input: input))
    }
}
