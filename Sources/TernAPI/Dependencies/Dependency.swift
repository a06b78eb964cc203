/// A value an operation declares with `@Depends` and receives ready-made: the current user, a
/// service, the database session. FastAPI's `Depends()`.
///
/// A dependency declares what it needs once, as its ``Needs``: an `@Input` struct of the other
/// dependencies, parameters and body it reads. The request scope resolves those first and hands
/// them to ``resolve(_:in:)``, and the API documents them (security, parameters, error responses)
/// on every operation that uses the dependency, so the documentation cannot drift from what the
/// code reads.
///
/// ```swift
/// extension ItemService: Dependency {
///     @Input struct Needs {
///         @Depends var session: DatabaseSession
///     }
///
///     static func resolve(_ needs: Needs, in scope: RequestScope) async throws -> ItemService {
///         ItemService(session: needs.session, items: ItemRepository())
///     }
/// }
/// ```
///
/// Each dependency is resolved at most once per request, and only if an operation (or another
/// dependency) asks for it. Tests replace any dependency with ``DependencyOverrides`` without
/// touching handlers.
public protocol Dependency: Sendable {
    /// What the dependency reads before it is built; ``NoInput`` when it needs nothing.
    associatedtype Needs: OperationInput = NoInput

    /// Builds the value for one request from its needs.
    static func resolve(_ needs: Needs, in scope: RequestScope) async throws -> Self

    /// The errors `resolve` throws, documented as responses of every operation that uses it.
    static var errors: [any APIErrorConvertible] { get }

    /// The security schemes this dependency accepts, for the API docs: any one of them will do.
    static var securityRequirements: [SecurityRequirement] { get }
}

extension Dependency {
    public static var errors: [any APIErrorConvertible] { [] }
    public static var securityRequirements: [SecurityRequirement] { [] }
}

/// A dependency that is its own needs, FastAPI's class dependencies: an `@Input` struct whose
/// `@Depends`, parameters and body are resolved into it (the OAuth2 login form, a service built from
/// the request's session and user). Its validation problems are reported as a 422 of their own.
///
/// ```swift
/// @Input
/// struct ItemService: InputDependency {
///     @Depends var session: DatabaseSession
///     @Depends var current: CurrentUser
///     let items = ItemRepository()   // not read from the request: a property with its value
/// }
/// ```
public protocol InputDependency: Dependency, OperationInput where Needs == Self {}

extension InputDependency {
    public static func resolve(_ needs: Self, in scope: RequestScope) async throws -> Self { needs }
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
    /// What the docs show of this dependency's needs: their parameters, body and dependencies.
    static var needs: any OperationInput.Type { Needs.self }

    /// The parameters the docs show for this dependency, in an API with `context`: its needs', and
    /// those a context dependency reads itself.
    static func documentedParameters(in context: any Sendable) -> [ParameterDescription] {
        guard let contextual = Self.self as? any ContextDependency.Type else { return Needs.parameters }
        return contextual.documentedParameters(in: context)
    }

    /// This dependency and everything its needs use, depth first, each once.
    static var documentationClosure: [any Dependency.Type] {
        var seen: Set<ObjectIdentifier> = []
        var result: [any Dependency.Type] = []
        func visit(_ type: any Dependency.Type) {
            guard seen.insert(ObjectIdentifier(type)).inserted else { return }
            result.append(type)
            for dependency in type.needs.dependencies { visit(dependency) }
        }
        visit(Self.self)
        return result
    }
}
