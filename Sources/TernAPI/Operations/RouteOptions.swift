import HTTPTypes

/// What a route declaration says beyond method and path:
/// `@POST("/", status: .created, errors: [UserError.emailTaken])`.
public struct RouteOptions: Sendable {
    /// The status of a successful response.
    public var status: HTTPResponse.Status
    /// A short summary; by default the handler's name in words ("read_items" → "Read Items").
    public var summary: String?
    /// A longer description; by default the handler's doc comment.
    public var description: String?
    /// Tags besides the router's.
    public var tags: [String]
    public var deprecated: Bool
    /// Overrides the operation id (`{first tag}-{handler name}` by default).
    public var operationID: String?
    /// Other responses worth documenting, by status code.
    public var responses: [Int: String]
    /// The errors the handler throws itself, documented with their status and `detail`; those of
    /// its dependencies are documented from theirs.
    public var errors: [any APIErrorConvertible]
    /// Whether the operation appears in the OpenAPI document.
    public var includeInSchema: Bool
    /// Limits on how often the operation may be called, besides its group's and the API's default.
    public var rateLimits: [RateLimitRule]
    /// How clients and proxies may cache a successful `GET` answer (`ETag` and `304` included).
    public var cache: HTTPCachePolicy?
    /// The scopes a credential needs, besides its group's (see ``Scope``).
    public var scopes: [Scope]
    /// The largest body this operation accepts, instead of the API's ``TypedAPI/maxBodySize``
    /// (an upload's, say); larger ones get 413.
    public var maxBodySize: Int?

    public init(
        status: HTTPResponse.Status = .ok, summary: String? = nil, description: String? = nil, tags: [String] = [],
        deprecated: Bool = false, operationID: String? = nil, responses: [Int: String] = [:], errors: [any APIErrorConvertible] = [],
        includeInSchema: Bool = true, rateLimits: [RateLimitRule] = [], cache: HTTPCachePolicy? = nil, scopes: [Scope] = [],
        maxBodySize: Int? = nil
    ) {
        self.status = status
        self.summary = summary
        self.description = description
        self.tags = tags
        self.deprecated = deprecated
        self.operationID = operationID
        self.responses = responses
        self.errors = errors
        self.includeInSchema = includeInSchema
        self.rateLimits = rateLimits
        self.cache = cache
        self.scopes = scopes
        self.maxBodySize = maxBodySize
    }
}

/// What a router declares for all its operations: `@APIRouter(prefix: "/items", tags: ["items"])`.
public struct RouterGroupOptions: Sendable {
    public var prefix: String
    public var tags: [String]
    /// Resolved before every operation of the group (an authentication check, say) and documented on each.
    public var dependencies: [any Dependency.Type]
    /// Limits on how often each operation of the group may be called.
    public var rateLimits: [RateLimitRule]
    /// The scopes a credential needs for every operation of the group.
    public var scopes: [Scope]

    public init(
        prefix: String = "", tags: [String] = [], dependencies: [any Dependency.Type] = [], rateLimits: [RateLimitRule] = [],
        scopes: [Scope] = []
    ) {
        self.prefix = prefix
        self.tags = tags
        self.dependencies = dependencies
        self.rateLimits = rateLimits
        self.scopes = scopes
    }
}
