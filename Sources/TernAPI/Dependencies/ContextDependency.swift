/// A dependency taken from the application's context: the value the API was built with
/// (`TypedAPI(context: services, ...)`), typically a struct of the application's services. The
/// context's own type is the usual one (`extension AppServices: ContextDependency`); a building
/// block asks for a protocol the context conforms to (`DatabaseContext` (`TernAPIDatabase`)).
///
/// ```swift
/// extension AppServices: ContextDependency {
///     static func resolve(from context: AppServices, in scope: RequestScope) -> AppServices { context }
/// }
///
/// extension UserService: Dependency {
///     @Input struct Needs {
///         @Depends var app: AppServices      // a field the compiler checks, not a registration
///     }
///     ...
/// }
/// ```
///
/// The API checks when it is installed that its context can serve every context dependency its
/// operations use, so a mismatch stops the server at start, never a request.
public protocol ContextDependency: Dependency where Needs == NoInput {
    /// The type the dependency reads: the application's context type, or a protocol it conforms to.
    associatedtype Context

    /// Builds the value for one request from the application's context.
    static func resolve(from context: Context, in scope: RequestScope) async throws -> Self

    /// Parameters the dependency reads itself, for the API docs, which may show configured values
    /// (a page size bound from the settings, say).
    static func documentedParameters(from context: Context) -> [ParameterDescription]
}

extension ContextDependency {
    public static func resolve(_: NoInput, in scope: RequestScope) async throws -> Self {
        try await resolve(from: context(of: scope.context), in: scope)
    }

    public static func documentedParameters(from context: Context) -> [ParameterDescription] { [] }

    /// Parameters documented for an API whose context is `context`.
    static func documentedParameters(in context: any Sendable) -> [ParameterDescription] {
        documentedParameters(from: Self.context(of: context))
    }

    static var contextTypeName: String { String(describing: Context.self) }

    /// Whether an API with this context can serve the dependency.
    static func accepts(_ context: any Sendable) -> Bool {
        context is Context
    }

    private static func context(of value: any Sendable) -> Context {
        guard let context = value as? Context else {
            preconditionFailure("the API checks its context against \(Self.self) when it is installed")
        }
        return context
    }
}

/// A context dependency the API's context cannot serve: a programming error in the app's assembly,
/// reported when the API is installed.
public struct ContextMismatch: Error, CustomStringConvertible {
    public let dependency: String
    public let needed: String
    public let provided: String

    public var description: String {
        "the dependency \(dependency) reads a context of type \(needed), but the API's context is a \(provided)"
    }
}
