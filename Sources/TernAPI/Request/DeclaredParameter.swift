/// A query, header or cookie parameter that a hand-written dependency reads, declared once for both
/// reading and the docs (what `@Query` and its kin declare in an `@Input`), for parameters whose
/// options are only known at run time, such as a bound from the settings.
///
/// ```swift
/// let limit = DeclaredParameter<Int>.query("limit", options: FieldOptions(le: 500), default: 100)
/// let value = limit.read(from: scope.request, issues: &issues)   // validated, issues reported
/// limit.description                                               // the same parameter, documented
/// ```
public struct DeclaredParameter<Value: APIValue>: Sendable {
    private enum Place {
        case query, header, cookie
    }

    public let name: String
    public let options: FieldOptions
    public let defaultValue: Value?
    private let place: Place

    private init(_ name: String, place: Place, options: FieldOptions, defaultValue: Value?) {
        self.name = name
        self.place = place
        self.options = options
        self.defaultValue = defaultValue
    }

    public static func query(_ name: String, options: FieldOptions = .none, default defaultValue: Value? = nil) -> Self {
        Self(name, place: .query, options: options, defaultValue: defaultValue)
    }

    public static func header(_ name: String, options: FieldOptions = .none, default defaultValue: Value? = nil) -> Self {
        Self(name, place: .header, options: options, defaultValue: defaultValue)
    }

    public static func cookie(_ name: String, options: FieldOptions = .none, default defaultValue: Value? = nil) -> Self {
        Self(name, place: .cookie, options: options, defaultValue: defaultValue)
    }

    /// The validated value, or `nil` with its problems added to `issues`.
    public func read(from request: IncomingRequest, issues: inout ValidationIssues) -> Value? {
        let defaultValue = defaultValue.map { value in { value } }
        switch place {
        case .query: return request.query(name, Value.self, options: options, default: defaultValue, issues: &issues)
        case .header: return request.header(name, Value.self, options: options, default: defaultValue, issues: &issues)
        case .cookie: return request.cookie(name, Value.self, options: options, default: defaultValue, issues: &issues)
        }
    }

    /// The parameter as the docs show it.
    public var description: ParameterDescription {
        let location: ParameterLocation =
            switch place {
            case .query: .query
            case .header: .header
            case .cookie: .cookie
            }
        return ParameterDescription(
            name, in: location, Value.self, options: options, required: defaultValue == nil, default: defaultValue)
    }
}
