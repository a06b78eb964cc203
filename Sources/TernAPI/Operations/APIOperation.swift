import HTTPTypes
import Hummingbird

/// One endpoint: method, path, documentation, typed inputs and a handler. Routers produce them
/// (the `@APIRouter` macro writes the list from the `@GET`/`@POST`/... methods); ``TypedAPI`` serves and
/// documents them.
public struct APIOperation: Sendable {
    public let method: HTTPRequest.Method
    /// The path, OpenAPI style (`/items/{id}`), including every prefix once the operation is included.
    public internal(set) var path: String
    /// The handler's name in snake_case (`read_items`): the operation id's second half.
    public let name: String
    /// The handler's doc comment.
    public let documentation: String?
    public internal(set) var options: RouteOptions
    /// Tags: the router's and the route's.
    public internal(set) var tags: [String]
    /// Dependencies resolved before the operation's own (from its router group).
    public internal(set) var groupDependencies: [any Dependency.Type] = []
    /// Rate limits of its router group.
    public internal(set) var groupRateLimits: [RateLimitRule] = []
    /// Scopes of its router group.
    public internal(set) var groupScopes: [Scope] = []

    let inputType: any OperationInput.Type
    let documentResponse: @Sendable (inout SchemaComponents) -> (mediaType: String, schema: JSONSchema?)
    let perform: @Sendable (RequestScope) async throws -> any ResponseContent

    /// An operation that answers with JSON.
    public init<Input: OperationInput, Output: APIValue>(
        _ method: HTTPRequest.Method, _ path: String, name: String, documentation: String? = nil,
        options: RouteOptions = RouteOptions(), handler: @escaping @Sendable (Input) async throws -> Output
    ) {
        self.init(method, path, name: name, documentation: documentation, options: options, inputType: Input.self) {
            JSONContent<Output>.responseDocumentation(components: &$0)
        } perform: { scope in
            JSONContent(value: try await handler(try await Self.input(Input.self, from: scope)))
        }
    }

    /// An operation that builds its own response: HTML, custom headers, a file, a stream.
    public init<Input: OperationInput, Output: ResponseContent>(
        _ method: HTTPRequest.Method, _ path: String, name: String, documentation: String? = nil,
        options: RouteOptions = RouteOptions(), handler: @escaping @Sendable (Input) async throws -> Output
    ) {
        self.init(method, path, name: name, documentation: documentation, options: options, inputType: Input.self) {
            Output.responseDocumentation(components: &$0)
        } perform: { scope in
            try await handler(try await Self.input(Input.self, from: scope))
        }
    }

    /// The operation's inputs, once the router group's dependencies have run too. `@Input` types
    /// resolve those themselves, between the body and their own dependencies (FastAPI's order);
    /// this makes sure inputs that do not (``NoInput``, hand-written ones) never skip them.
    static func input<Input: OperationInput>(_ type: Input.Type, from scope: RequestScope) async throws -> Input {
        let input = try await Input.extract(from: scope)
        try await scope.resolveGroupDependencies()
        try scope.checkScopes()
        return input
    }

    private init(
        _ method: HTTPRequest.Method, _ path: String, name: String, documentation: String?, options: RouteOptions,
        inputType: any OperationInput.Type,
        documentResponse: @escaping @Sendable (inout SchemaComponents) -> (mediaType: String, schema: JSONSchema?),
        perform: @escaping @Sendable (RequestScope) async throws -> any ResponseContent
    ) {
        self.method = method
        self.path = path
        self.name = name
        self.documentation = documentation
        self.options = options
        self.tags = options.tags
        self.inputType = inputType
        self.documentResponse = documentResponse
        self.perform = perform
    }

    /// `{first tag}-{handler name}` (the full-stack FastAPI template's convention, which its
    /// generated clients rely on), or the route's own id.
    public var operationID: String {
        if let operationID = options.operationID { return operationID }
        guard let tag = tags.first else { return name }
        return "\(tag)-\(name)"
    }

    /// The summary shown in the docs.
    public var summary: String {
        options.summary ?? ObjectSchemaBuilder.title(for: name)
    }

    /// The scopes a credential needs for this operation: its router's, then its own.
    public var requiredScopes: [Scope] {
        var seen: Set<Scope> = []
        return (groupScopes + options.scopes).filter { seen.insert($0).inserted }
    }

    /// Every dependency the operation resolves, for the docs: its group's and its own, with theirs.
    var documentedDependencies: [any Dependency.Type] {
        var seen: Set<ObjectIdentifier> = []
        return (groupDependencies + inputType.dependencies).flatMap { $0.documentationClosure }.filter {
            seen.insert(ObjectIdentifier($0)).inserted
        }
    }
}

/// A set of operations sharing a prefix, tags and dependencies; usually a struct marked `@APIRouter`.
public protocol APIRouter: Sendable {
    var groupOptions: RouterGroupOptions { get }
    var operations: [APIOperation] { get }
}
