import TernAPI

/// `skip`, `limit` and `cursor` query parameters of list endpoints; `limit` is at most the
/// configured `PAGINATION_MAX_LIMIT` (a larger one is a 422, as the docs say).
///
/// `cursor` is the opt-in keyset pagination: a list answers `next_cursor` when more rows follow,
/// and the page asked for with it starts right after the last row shown, found through an index
/// whatever the depth. `skip` still counts from there (0 by default). A cursor is signed: one
/// that was altered, or made with another `SECRET_KEY`, is a 422.
struct Pagination: ContextDependency {
    let skip: Int
    let limit: Int
    /// Where the page starts, from `cursor`; `nil` starts at the first row.
    let after: PagePosition?
    private let cursors: PageCursors?

    /// The `limit` of a list that names none.
    static let defaultLimit = 100

    /// The query parameters, with the bound from the settings: read and documented from here.
    private struct Parameters {
        let skip: DeclaredParameter<Int>
        let limit: DeclaredParameter<Int>
        let cursor: DeclaredParameter<String?>

        init(_ app: AppServices) {
            let maximum = app.settings.paginationMaxLimit
            skip = .query("skip", options: FieldOptions(description: "How many rows to skip.", ge: 0), default: 0)
            limit = .query(
                "limit", options: FieldOptions(description: "How many rows to return, at most \(maximum).", ge: 0, le: Double(maximum)),
                default: defaultLimit)
            cursor = .query(
                "cursor", options: FieldOptions(description: "Start after the last row of a page: that page's `next_cursor`."),
                default: .some(nil))
        }
    }

    static func resolve(from app: AppServices, in scope: RequestScope) async throws -> Pagination {
        let parameters = Parameters(app)
        var issues = ValidationIssues()
        let skip = parameters.skip.read(from: scope.request, issues: &issues)
        let limit = parameters.limit.read(from: scope.request, issues: &issues)
        let cursor = parameters.cursor.read(from: scope.request, issues: &issues) ?? nil
        let after = cursor.flatMap { app.pageCursors.position(from: $0, as: PagePosition.self) }
        if let cursor, after == nil {
            issues.report(.valueErrorRaised("Invalid cursor"), at: ["query", "cursor"], input: .string(cursor))
        }
        guard let skip, let limit, issues.isEmpty else { throw RequestValidationError(issues.all) }
        return Pagination(skip: skip, limit: limit, after: after, cursors: app.pageCursors)
    }

    /// `skip` and `limit` given as values (GraphQL's arguments), checked as the query parameters are.
    static func checked(skip: Int, limit: Int, app: AppServices) throws -> Pagination {
        let parameters = Parameters(app)
        var issues = ValidationIssues()
        let skip = Int.validate(.integer(Int64(skip)), at: ["skip"], options: parameters.skip.options, issues: &issues)
        let limit = Int.validate(.integer(Int64(limit)), at: ["limit"], options: parameters.limit.options, issues: &issues)
        guard let skip, let limit else { throw RequestValidationError(issues.all) }
        return Pagination(skip: skip, limit: limit, after: nil, cursors: nil)
    }

    /// The `next_cursor` that starts a page at `position` (`nil` for none, and for GraphQL's pages,
    /// which take no cursor).
    func cursor(at position: PagePosition?) -> String? {
        guard let position, let cursors else { return nil }
        return cursors.make(position)
    }

    static func documentedParameters(from app: AppServices) -> [ParameterDescription] {
        let parameters = Parameters(app)
        return [parameters.skip.description, parameters.limit.description, parameters.cursor.description]
    }
}
