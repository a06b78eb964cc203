import Testing

@testable import TernAPI

/// A location is the same value however it was built: step by step (the last step kept apart from
/// the shared path) or from a whole array.
@Suite struct IssueLocationTests {
    @Test func aStepFurtherHasEveryComponent() {
        let location = IssueLocation.body + "tags" + 1 + "name"
        #expect(location.components == ["body", "tags", 1, "name"])
        #expect(location.dotted == "body.tags.1.name")
        #expect(location.json == .array([.string("body"), .string("tags"), .integer(1), .string("name")]))
    }

    @Test func equalAndHashedByComponentsAlone() {
        let stepped = IssueLocation.body + "tags" + 1
        let whole: IssueLocation = ["body", "tags", 1]
        #expect(stepped == whole)
        #expect(stepped.flattened() == whole)
        #expect(Set([stepped, whole, stepped.flattened()]).count == 1)
        #expect(stepped != IssueLocation.body + "tags" + 2)
        #expect(IssueLocation.body + "tags" != ["body", "tags", 1])
    }

    @Test func flattenedKeepsTheLocation() {
        let members = (IssueLocation.body + "owner").flattened()
        #expect(members + "email" == ["body", "owner", "email"])
        #expect(members + "name" == ["body", "owner", "name"])
        #expect(members == ["body", "owner"])
    }

    @Test func settingComponentsReplacesThePath() {
        var location = IssueLocation.body + "title"
        location.components = ["query", "limit"]
        #expect(location == ["query", "limit"])
        #expect(location + "x" == ["query", "limit", "x"])
    }

    /// The locations a nested body reports are FastAPI's, with the containers flattened on the way.
    @Test func nestedIssuesReportFullPaths() {
        var issues = ValidationIssues()
        let input = JSONValue.array([.integer(1), .string("x"), .array([.string("y")])])
        _ = [[Int]].validate(input, at: .body + "matrix", options: .none, issues: &issues)
        #expect(issues.all.map(\.location) == [["body", "matrix", 0], ["body", "matrix", 1], ["body", "matrix", 2, 0]])
    }
}
