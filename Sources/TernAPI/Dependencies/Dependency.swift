/// A value an operation declares with `@Depends` and receives ready-made: the current user, a
/// service, the database session. FastAPI's `Depends()`.
///
/// Each dependency is resolved at most once per request, and only if an operation (or another
/// dependency) asks for it. Tests replace any dependency with ``DependencyOverrides`` without
/// touching handlers.
///
/// ```swift
/// struct ItemService: Dependency {
///     let session: DatabaseSession
///     static func resolve(in scope: RequestScope) async throws -> ItemService {
///         ItemService(session: try await scope.resolve(DatabaseSession.self))
///     }
/// }
/// ```
public protocol Dependency: Sendable {
    /// Builds the value for one request.
    static func resolve(in scope: RequestScope) async throws -> Self

    /// The dependencies `resolve` uses, so the API docs can show their security and error responses.
    static var documentedDependencies: [any Dependency.Type] { get }

    /// Error responses this dependency can cause, for the API docs (`[401: "Not authenticated"]`).
    static var documentedResponses: [Int: String] { get }

    /// The security scheme this dependency checks, for the API docs.
    static var securityRequirement: SecurityRequirement? { get }

    /// Query, header or cookie parameters this dependency reads itself, for the API docs; `shared`
    /// holds the application's values (a configured bound, say).
    static func documentedParameters(_ shared: SharedValues) -> [ParameterDescription]

    /// The request body this dependency reads itself, for the API docs. Declare it: the API
    /// collects a request's body only for operations whose inputs or dependencies declare one.
    static var documentedRequestBody: RequestBodyDescription? { get }
}

extension Dependency {
    public static var documentedDependencies: [any Dependency.Type] { [] }
    public static var documentedResponses: [Int: String] { [:] }
    public static var securityRequirement: SecurityRequirement? { nil }

    public static func documentedParameters(_ shared: SharedValues) -> [ParameterDescription] { [] }
    public static var documentedRequestBody: RequestBodyDescription? { nil }
}

extension Dependency where Self: OperationInput {
    /// An input type used as a dependency (FastAPI's class dependencies, such as the OAuth2 login
    /// form) reads its own parameters; its validation problems are reported as a 422 of their own.
    public static func resolve(in scope: RequestScope) async throws -> Self {
        try await extract(from: scope)
    }

    /// Its parameters, body and `@Depends` are documented, and counted, as the operation's own.
    public static func documentedParameters(_ shared: SharedValues) -> [ParameterDescription] { parameters }
    public static var documentedRequestBody: RequestBodyDescription? { requestBody }
    public static var documentedDependencies: [any Dependency.Type] { dependencies }
}

/// A security scheme an operation requires (`OAuth2PasswordBearer`), with the scopes it needs.
public struct SecurityRequirement: Sendable, Hashable {
    public let scheme: String
    public let scopes: [String]

    public init(scheme: String, scopes: [String] = []) {
        self.scheme = scheme
        self.scopes = scopes
    }
}

extension Dependency {
    /// This dependency and everything it documents using, depth first, each once.
    static var documentationClosure: [any Dependency.Type] {
        var seen: Set<ObjectIdentifier> = []
        var result: [any Dependency.Type] = []
        func visit(_ type: any Dependency.Type) {
            guard seen.insert(ObjectIdentifier(type)).inserted else { return }
            result.append(type)
            for dependency in type.documentedDependencies { visit(dependency) }
        }
        visit(Self.self)
        return result
    }
}
