import Logging

/// Everything one request's operation resolves its dependencies from: the request itself, the
/// application's shared values, test overrides, and the dependencies resolved so far.
///
/// Used by one task at a time (the request's); dependencies are memoised, so `CurrentUser` is looked
/// up once however many dependencies need it. Work to do when the operation ends, such as committing
/// the database session, is registered with ``onCompletion(_:)``.
public final class RequestScope: @unchecked Sendable {
    /// The request's method, path, query, headers, cookies and body.
    public let request: IncomingRequest
    /// The logger, with the request's id in its metadata.
    public let logger: Logger
    private let shared: SharedValues
    private let overrides: DependencyOverrides
    private var resolved: [ObjectIdentifier: any Sendable] = [:]
    private var completions: [@Sendable (Bool) async throws -> Void] = []
    /// Dependencies of the operation's router group (an authentication check, say).
    private let groupDependencies: [any Dependency.Type]

    public init(
        request: IncomingRequest, logger: Logger, shared: SharedValues, overrides: DependencyOverrides,
        groupDependencies: [any Dependency.Type] = []
    ) {
        self.request = request
        self.logger = logger
        self.shared = shared
        self.overrides = overrides
        self.groupDependencies = groupDependencies
    }

    /// The dependency's value for this request, resolved on first use.
    public func resolve<D: Dependency>(_ type: D.Type) async throws -> D {
        let key = ObjectIdentifier(type)
        if let value = resolved[key] as? D { return value }
        let value: D
        if let provider = overrides.provider(for: type) {
            guard let provided = try await provider(self) as? D else {
                preconditionFailure("the override of \(D.self) returned another type")
            }
            value = provided
        } else {
            value = try await D.resolve(in: self)
        }
        resolved[key] = value
        return value
    }

    /// Resolves the router group's dependencies (each once). `@Input` types call this right after
    /// reading the body, before their own dependencies, the order FastAPI resolves them in; every
    /// operation calls it again after its inputs, which costs nothing once they are resolved.
    public func resolveGroupDependencies() async throws {
        for dependency in groupDependencies {
            _ = try await resolve(dependency)
        }
    }

    /// An application-wide value; a missing one is a programming error in the app's assembly.
    public func shared<T: Sendable>(_ type: T.Type = T.self) throws -> T {
        guard let value = shared.get(type) else {
            throw MissingSharedValue(typeName: String(describing: type))
        }
        return value
    }

    /// Runs `action` when the operation ends, before the response is sent: with `true` when the
    /// handler succeeded, `false` when it threw. Actions run in reverse order of registration.
    public func onCompletion(_ action: @escaping @Sendable (_ succeeded: Bool) async throws -> Void) {
        completions.append(action)
    }

    /// Runs the completion actions; the first error of a successful operation is thrown.
    func complete(succeeded: Bool) async throws {
        var firstError: (any Error)?
        for action in completions.reversed() {
            do {
                try await action(succeeded && firstError == nil)
            } catch {
                firstError = firstError ?? error
            }
        }
        completions = []
        if succeeded, let firstError { throw firstError }
    }
}

/// The application did not provide a value a dependency needs.
public struct MissingSharedValue: Error, CustomStringConvertible {
    public let typeName: String
    public var description: String { "no shared value of type \(typeName) was provided to the API" }
}

extension RequestScope: Dependency {
    /// The scope itself, for operations that need the raw request.
    public static func resolve(in scope: RequestScope) async throws -> RequestScope { scope }
}
