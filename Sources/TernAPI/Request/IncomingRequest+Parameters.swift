import HTTPTypes

/// Parameter reading used by the code `@Input` generates: each reads one parameter from its place,
/// validates it, and records issues under `path`, `query`, `header`, `cookie` or `body`.
extension IncomingRequest {
    public func path<T: APIValue>(_ name: String, _ type: T.Type, options: FieldOptions, issues: inout ValidationIssues) -> T? {
        read(pathParameters[name].map { [$0] } ?? [], T.self, at: ["path", .key(name)], options: options, issues: &issues)
    }

    public func query<T: APIValue>(
        _ name: String, _ type: T.Type, options: FieldOptions, default defaultValue: (() -> T)? = nil, issues: inout ValidationIssues
    ) -> T? {
        read(query.values(name), T.self, at: ["query", .key(name)], options: options, default: defaultValue, issues: &issues)
    }

    public func header<T: APIValue>(
        _ name: String, _ type: T.Type, options: FieldOptions, default defaultValue: (() -> T)? = nil, issues: inout ValidationIssues
    ) -> T? {
        let values = HTTPFieldNameList.values(of: name, in: headers)
        return read(values, T.self, at: ["header", .key(name)], options: options, default: defaultValue, issues: &issues)
    }

    public func cookie<T: APIValue>(
        _ name: String, _ type: T.Type, options: FieldOptions, default defaultValue: (() -> T)? = nil, issues: inout ValidationIssues
    ) -> T? {
        read(cookie(name).map { [$0] } ?? [], T.self, at: ["cookie", .key(name)], options: options, default: defaultValue, issues: &issues)
    }

    public func form<T: APIValue>(
        _ name: String, _ type: T.Type, in fields: FormFields, options: FieldOptions,
        default defaultValue: (() -> T)? = nil, issues: inout ValidationIssues
    ) -> T? {
        var values = fields.values(name)
        // FastAPI takes an empty form value for one not sent: its default, or `missing`.
        if !T.isList, values.last == "" { values = [] }
        return read(values, T.self, at: ["body", .key(name)], options: options, default: defaultValue, issues: &issues)
    }

    /// The whole body as one value of `T` (FastAPI's single, non-embedded body parameter).
    public func body<T: APIValue>(
        _ content: RequestBodyContent, _ type: T.Type, options: FieldOptions, default defaultValue: (() -> T)? = nil,
        issues: inout ValidationIssues
    ) -> T? {
        switch content {
        case .absent:
            if let defaultValue { return defaultValue() }
            issues.report(.missing, at: .body, input: .null)
            return nil
        case .json(let value):
            return T.validate(value, at: .body, options: options, issues: &issues)
        case .text(let text):
            return T.validate(.string(text), at: .body, options: options, issues: &issues)
        }
    }

    /// Validates the raw string value(s) of a parameter; absent ones take the default or are `missing`.
    private func read<T: APIValue>(
        _ values: [String], _ type: T.Type, at location: IssueLocation, options: FieldOptions,
        default defaultValue: (() -> T)? = nil, issues: inout ValidationIssues
    ) -> T? {
        if values.isEmpty {
            if let defaultValue { return defaultValue() }
            issues.report(.missing, at: location, input: .null)
            return nil
        }
        let input: JSONValue = T.isList ? .array(values.map { .string($0) }) : .string(values[values.count - 1])
        return T.validate(input, at: location, options: options, issues: &issues)
    }
}

/// Header lookups by the names parameters declare (`x-token`).
enum HTTPFieldNameList {
    static func values(of name: String, in headers: HTTPFields) -> [String] {
        guard let fieldName = HTTPField.Name(name) else { return [] }
        return headers[values: fieldName]
    }
}
