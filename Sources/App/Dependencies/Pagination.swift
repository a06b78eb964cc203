import TernAPI

/// `skip` and `limit` query parameters of list endpoints; `limit` is at most the configured
/// `PAGINATION_MAX_LIMIT` (a larger one is a 422, as the docs say).
struct Pagination: ContextDependency {
    let skip: Int
    let limit: Int

    /// The `limit` of a list that names none.
    static let defaultLimit = 100

    /// The two parameters, with the bound from the settings: read and documented from here.
    private static func parameters(_ app: AppServices) -> (skip: DeclaredParameter<Int>, limit: DeclaredParameter<Int>) {
        let maximum = app.settings.paginationMaxLimit
        return (
            .query("skip", options: FieldOptions(description: "How many rows to skip.", ge: 0), default: 0),
            .query(
                "limit", options: FieldOptions(description: "How many rows to return, at most \(maximum).", ge: 0, le: Double(maximum)),
                default: defaultLimit)
        )
    }

    static func resolve(from app: AppServices, in scope: RequestScope) async throws -> Pagination {
        let parameters = parameters(app)
        var issues = ValidationIssues()
        let skip = parameters.skip.read(from: scope.request, issues: &issues)
        let limit = parameters.limit.read(from: scope.request, issues: &issues)
        guard let skip, let limit else { throw RequestValidationError(issues.all) }
        return Pagination(skip: skip, limit: limit)
    }

    /// `skip` and `limit` given as values (GraphQL's arguments), checked as the query parameters are.
    static func checked(skip: Int, limit: Int, app: AppServices) throws -> Pagination {
        let parameters = parameters(app)
        var issues = ValidationIssues()
        let skip = Int.validate(.integer(Int64(skip)), at: ["skip"], options: parameters.skip.options, issues: &issues)
        let limit = Int.validate(.integer(Int64(limit)), at: ["limit"], options: parameters.limit.options, issues: &issues)
        guard let skip, let limit else { throw RequestValidationError(issues.all) }
        return Pagination(skip: skip, limit: limit)
    }

    static func documentedParameters(from app: AppServices) -> [ParameterDescription] {
        let parameters = parameters(app)
        return [parameters.skip.description, parameters.limit.description]
    }
}
