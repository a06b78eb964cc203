import Logging
import Synchronization

/// Everything one request's operation resolves its dependencies from: the request itself, the
/// application's shared values, test overrides, and the dependencies resolved so far.
///
/// Dependencies are memoised, so `CurrentUser` is looked up once however many dependencies need it,
/// even when several resolve at once (`async let`): the first resolves, the others wait for its
/// value (or its error). A dependency that needs itself, directly or through others, fails with
/// ``DependencyCycle`` instead of waiting forever. Work to do when the operation ends, such as
/// committing the database session, is registered with ``onCompletion(_:)``.
public final class RequestScope: Sendable {
    /// The request's method, path, query, headers, cookies and body.
    public let request: IncomingRequest
    /// The logger, with the request's id in its metadata.
    public let logger: Logger
    private let shared: SharedValues
    private let overrides: DependencyOverrides
    /// Dependencies of the operation's router group (an authentication check, say).
    private let groupDependencies: [any Dependency.Type]
    private let state = Mutex(State())

    private enum Resolution {
        /// Being resolved by one task; these wait for it.
        case resolving(waiters: [UnsafeContinuation<any Sendable, any Error>])
        case resolved(Result<any Sendable, any Error>)
    }

    /// What a task asking for a dependency does: take the value, wait for it, or resolve it.
    private enum ResolutionRole {
        case done(Result<any Sendable, any Error>)
        case wait
        case resolve
    }

    private struct State {
        var resolutions: [ObjectIdentifier: Resolution] = [:]
        var completions: [@Sendable (Bool) async throws -> Void] = []
    }

    /// The dependencies the current task is resolving, innermost last, to tell a cycle from a wait.
    @TaskLocal private static var resolving: [ObjectIdentifier] = []

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
        let role: ResolutionRole = state.withLock { state in
            switch state.resolutions[key] {
            case .resolved(let result)?: return .done(result)
            case .resolving?: return .wait
            case nil:
                state.resolutions[key] = .resolving(waiters: [])
                return .resolve
            }
        }
        switch role {
        case .done(let result):
            return try Self.cast(result.get(), to: D.self)
        case .wait:
            guard !Self.resolving.contains(key) else { throw DependencyCycle(typeName: String(describing: D.self)) }
            return try Self.cast(await waitForResolution(of: key), to: D.self)
        case .resolve:
            let result: Result<any Sendable, any Error>
            do {
                result = .success(try await Self.$resolving.withValue(Self.resolving + [key]) { try await produce(type) })
            } catch {
                result = .failure(error)
            }
            let waiters: [UnsafeContinuation<any Sendable, any Error>] = state.withLock { state in
                defer { state.resolutions[key] = .resolved(result) }
                guard case .resolving(let waiters)? = state.resolutions[key] else { return [] }
                return waiters
            }
            for waiter in waiters { waiter.resume(with: result) }
            return try Self.cast(result.get(), to: D.self)
        }
    }

    private func produce<D: Dependency>(_ type: D.Type) async throws -> any Sendable {
        guard let provider = overrides.provider(for: type) else { return try await D.resolve(in: self) }
        let provided = try await provider(self)
        guard provided is D else { preconditionFailure("the override of \(D.self) returned another type") }
        return provided
    }

    private func waitForResolution(of key: ObjectIdentifier) async throws -> any Sendable {
        try await withUnsafeThrowingContinuation { continuation in
            let ready: Result<any Sendable, any Error>? = state.withLock { state in
                switch state.resolutions[key] {
                case .resolving(let waiters)?:
                    state.resolutions[key] = .resolving(waiters: waiters + [continuation])
                    return nil
                case .resolved(let result)?:
                    return result
                case nil:
                    preconditionFailure("a dependency being resolved has no entry")
                }
            }
            if let ready { continuation.resume(with: ready) }
        }
    }

    private static func cast<D>(_ value: any Sendable, to type: D.Type) -> D {
        guard let value = value as? D else { preconditionFailure("a resolved dependency is not a \(D.self)") }
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
        state.withLock { $0.completions.append(action) }
    }

    /// Runs the completion actions; the first error of a successful operation is thrown.
    func complete(succeeded: Bool) async throws {
        let completions = state.withLock { state in
            defer { state.completions = [] }
            return state.completions
        }
        var firstError: (any Error)?
        for action in completions.reversed() {
            do {
                try await action(succeeded && firstError == nil)
            } catch {
                firstError = firstError ?? error
            }
        }
        if succeeded, let firstError { throw firstError }
    }
}

/// A dependency needs itself, directly or through the dependencies it resolves: a programming error.
public struct DependencyCycle: Error, CustomStringConvertible {
    public let typeName: String
    public var description: String { "the dependency \(typeName) depends on itself" }
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
