import TernAPI

/// `skip` and `limit` query parameters of list endpoints; `limit` is at most the configured
/// `PAGINATION_MAX_LIMIT` (a larger one is a 422, as the docs say).
struct Pagination: Dependency {
    let skip: Int
    let limit: Int

    static let skipOptions = FieldOptions(description: "How many rows to skip.", ge: 0)

    static func limitOptions(maximum: Int) -> FieldOptions {
        FieldOptions(description: "How many rows to return, at most \(maximum).", ge: 0, le: Double(maximum))
    }

    static func resolve(_: NoInput, in scope: RequestScope) async throws -> Pagination {
        let maximum = try scope.shared(Settings.self).paginationMaxLimit
        var issues = Issues()
        let skip = scope.request.query("skip", Int.self, options: skipOptions, default: { 0 }, issues: &issues)
        let limit = scope.request.query("limit", Int.self, options: limitOptions(maximum: maximum), default: { 100 }, issues: &issues)
        guard let skip, let limit else { throw RequestValidationError(issues.all) }
        return Pagination(skip: skip, limit: limit)
    }

    static func documentedParameters(_ shared: SharedValues) -> [ParameterDescription] {
        guard let maximum = shared.get(Settings.self)?.paginationMaxLimit else {
            preconditionFailure("AppAPI shares the settings before documenting operations")
        }
        return [
            ParameterDescription("skip", in: .query, Int.self, options: skipOptions, required: false, default: 0),
            ParameterDescription("limit", in: .query, Int.self, options: limitOptions(maximum: maximum), required: false, default: 100),
        ]
    }
}
