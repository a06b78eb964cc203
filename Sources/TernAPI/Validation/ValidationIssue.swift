/// One problem with a request, as FastAPI reports it inside a 422 response:
/// `{"type": "string_too_short", "loc": ["body", "title"], "msg": "...", "input": "", "ctx": {...}}`.
///
/// `type` and `msg` follow pydantic's names and wording, so clients written against FastAPI (and its
/// generated SDKs) read them unchanged.
public struct ValidationIssue: Sendable, Hashable {
    /// pydantic's error type (`missing`, `string_too_short`, `int_parsing`, ...).
    public var type: String
    /// Where: `body`, `query`, `path`, `header` or `cookie`, then field names and list indexes.
    public var location: IssueLocation
    /// The human-readable message.
    public var message: String
    /// The offending value (for `missing`, the enclosing object, or `null`).
    public var input: JSONValue
    /// The constraint's parameters, for constrained errors (`{"min_length": 8}`).
    public var context: JSONObject?

    public init(type: String, location: IssueLocation, message: String, input: JSONValue, context: JSONObject? = nil) {
        self.type = type
        self.location = location
        self.message = message
        self.input = input
        self.context = context
    }

    /// The issue as FastAPI writes it.
    public var json: JSONValue {
        var object: JSONObject = [
            "type": .string(type), "loc": location.json, "msg": .string(message), "input": input,
        ]
        if let context { object["ctx"] = .object(context) }
        return .object(object)
    }
}

/// A path into a request: `["body", "tags", 1]`.
///
/// Validation builds a location for every field and element it reads, and nearly always reports
/// nothing at it, so a step further is cheap: the path so far is shared, not copied, and the last
/// step is kept beside it. A container (an object or an array) calls ``flattened()`` once before
/// handing out locations for its members, so a valid body costs at most one array per container,
/// never one per field.
public struct IssueLocation: Sendable, Hashable, ExpressibleByArrayLiteral, CustomStringConvertible {
    /// A step: an object key or an array index.
    public enum Component: Sendable, Hashable, ExpressibleByStringLiteral, ExpressibleByIntegerLiteral {
        case key(String)
        case index(Int)

        public init(stringLiteral value: String) { self = .key(value) }
        public init(integerLiteral value: Int) { self = .index(value) }
    }

    private var path: [Component]
    private var lastStep: Component?

    public init(_ components: [Component]) {
        self.path = components
        self.lastStep = nil
    }

    public init(arrayLiteral elements: Component...) {
        self.init(elements)
    }

    private init(path: [Component], lastStep: Component) {
        self.path = path
        self.lastStep = lastStep
    }

    public static let body: IssueLocation = ["body"]

    /// The steps from the request's root.
    public var components: [Component] {
        get {
            guard let lastStep else { return path }
            var components = path
            components.append(lastStep)
            return components
        }
        set {
            self = IssueLocation(newValue)
        }
    }

    /// The location as a path of dots, `body.items.0.title`, for a message in plain text.
    public var dotted: String {
        components.map { component in
            switch component {
            case .key(let key): key
            case .index(let index): String(index)
            }
        }
        .joined(separator: ".")
    }

    /// This location, one step further.
    public func appending(_ component: Component) -> IssueLocation {
        IssueLocation(path: lastStep == nil ? path : components, lastStep: component)
    }

    /// The same location with its steps in one array, so that the locations of a container's members,
    /// each one step further, share it.
    public func flattened() -> IssueLocation {
        lastStep == nil ? self : IssueLocation(components)
    }

    public static func + (location: IssueLocation, key: String) -> IssueLocation {
        location.appending(.key(key))
    }

    public static func + (location: IssueLocation, index: Int) -> IssueLocation {
        location.appending(.index(index))
    }

    public static func == (lhs: IssueLocation, rhs: IssueLocation) -> Bool {
        lhs.components == rhs.components
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(components)
    }

    public var json: JSONValue {
        .array(
            components.map { component in
                switch component {
                case .key(let key): .string(key)
                case .index(let index): .integer(Int64(index))
                }
            })
    }

    public var description: String { json.jsonText }
}

/// The problems found in a request; thrown once validation is complete, and answered with 422.
public struct RequestValidationError: Error, Sendable, CustomStringConvertible {
    public var issues: [ValidationIssue]

    public init(_ issues: [ValidationIssue]) {
        self.issues = issues
    }

    /// The 422 body: `{"detail": [...]}`.
    public var json: JSONValue {
        ["detail": .array(issues.map(\.json))]
    }

    public var description: String {
        "request validation failed: " + issues.map { "\($0.location) \($0.type)" }.joined(separator: ", ")
    }
}
