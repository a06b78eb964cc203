import HTTPTypes
import Logging
import Synchronization

/// Everything one request's operation resolves its dependencies from: the request itself, the
/// application's context, test overrides, and the dependencies resolved so far.
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
    /// The API's context, which ``ContextDependency`` types read.
    let context: any Sendable
    private let overrides: DependencyOverrides
    /// Dependencies of the operation's router group (an authentication check, say).
    private let groupDependencies: [any Dependency.Type]
    /// The scopes the operation requires (FastAPI's `SecurityScopes`): its own and its router's.
    public let requiredScopes: [Scope]
    private let state = Mutex(State())

    private struct State {
        /// By dependency type. A request resolves a handful: a list searched in order costs less
        /// than hashing, and is made once at its usual size instead of grown.
        var resolutions: [Resolution] = []
        var completions: [@Sendable (Bool) async throws -> Void] = []
        var afterResponse: [@Sendable () async -> Void] = []
        var responseHeaders: [@Sendable (inout HTTPFields) -> Void] = []
        var granted: (scopes: Set<String>, challenge: String)?

        /// Whether a task whose innermost resolution is `innermost` is resolving `type`: each
        /// resolution's `parent`, followed back from `innermost`.
        func isResolving(_ type: ObjectIdentifier, from innermost: ObjectIdentifier?) -> Bool {
            var current = innermost
            while let key = current {
                if key == type { return true }
                current = resolutions.first { $0.type == key }?.parent
            }
            return false
        }

        mutating func setParent(_ parent: ObjectIdentifier?, of type: ObjectIdentifier) {
            guard let index = resolutions.firstIndex(where: { $0.type == type }) else { return }
            resolutions[index].parent = parent
        }
    }

    private struct Resolution {
        let type: ObjectIdentifier
        let once: AsyncOnce
        /// The resolution inside which the task computing this one computes it (`nil`: the
        /// operation's own). Set when the computing starts: with two tasks asking at once, the
        /// task that computes need not be the one that asked first.
        var parent: ObjectIdentifier?
    }

    /// The dependency the current task is resolving, innermost: with each resolution's `parent`,
    /// the chain of those it resolves (a task-local value this small costs no allocation, where a
    /// chain copied into an array for every dependency cost one).
    @TaskLocal private static var resolving: ObjectIdentifier?

    public init(
        request: IncomingRequest, logger: Logger, context: any Sendable, overrides: DependencyOverrides,
        groupDependencies: [any Dependency.Type] = [], requiredScopes: [Scope] = []
    ) {
        self.request = request
        self.logger = logger
        self.context = context
        self.overrides = overrides
        self.groupDependencies = groupDependencies
        self.requiredScopes = requiredScopes
    }

    /// The dependency's value for this request, resolved on first use: its ``Dependency/Needs``
    /// first, then its ``Dependency/resolve(_:in:)`` (or the override that replaces it).
    public func resolve<D: Dependency>(_ type: D.Type) async throws -> D {
        let key = ObjectIdentifier(type)
        let innermost = Self.resolving
        let (once, isCycle) = state.withLock { state in
            if let known = state.resolutions.first(where: { $0.type == key }) {
                return (known.once, known.once.isRunning && state.isResolving(key, from: innermost))
            }
            let once = AsyncOnce()
            if state.resolutions.isEmpty { state.resolutions.reserveCapacity(16) }
            state.resolutions.append(Resolution(type: key, once: once))
            return (once, false)
        }
        if isCycle { throw DependencyCycle(typeName: String(describing: D.self)) }
        let value = try await once.value {
            state.withLock { $0.setParent(innermost, of: key) }
            return try await Self.$resolving.withValue(key) { try await produce(type) }
        }
        guard let value = value as? D else { preconditionFailure("a resolved dependency is not a \(D.self)") }
        return value
    }

    private func produce<D: Dependency>(_ type: D.Type) async throws -> any Sendable {
        guard let provider = overrides.provider(for: type) else {
            return try await D.resolve(D.Needs.extract(from: self), in: self)
        }
        let provided = try await provider(self)
        guard provided is D else { preconditionFailure("the override of \(D.self) returned another type") }
        return provided
    }

    /// Resolves the router group's dependencies (each once). An operation's `@Input` calls this
    /// right after reading the body, before its own dependencies, the order FastAPI resolves them
    /// in; every operation calls it again after its inputs, which costs nothing once they are
    /// resolved. The needs of a dependency do not: the group's dependencies belong to operations.
    public func resolveGroupDependencies() async throws {
        guard Self.resolving == nil else { return }
        for dependency in groupDependencies {
            _ = try await resolve(dependency)
        }
    }

    /// Records the scopes the request's credential grants, by the dependency that authenticated it;
    /// `challenge` names its scheme for the `WWW-Authenticate` of a refusal (`Bearer`). A second
    /// grant narrows the first, never widens it.
    public func grant(_ scopes: Set<String>, challenge: String) {
        state.withLock { state in
            state.granted = (state.granted.map { $0.scopes.intersection(scopes) } ?? scopes, challenge)
        }
    }

    /// Refuses the request unless its credential was granted every scope the operation requires.
    /// Runs once the dependencies are resolved, so their own refusals (an unknown user, one who is
    /// no superuser) answer first; with no credential granting anything, nothing is allowed.
    func checkScopes() throws(InsufficientScope) {
        guard !requiredScopes.isEmpty else { return }
        let granted = state.withLock { $0.granted }
        guard let granted, requiredScopes.allSatisfy({ granted.scopes.contains($0.name) }) else {
            throw InsufficientScope(required: requiredScopes, challenge: granted?.challenge ?? "Bearer")
        }
    }

    /// Runs `action` when the operation ends, before the response is sent: with `true` when the
    /// handler succeeded, `false` when it threw. Actions run in reverse order of registration.
    public func onCompletion(_ action: @escaping @Sendable (_ succeeded: Bool) async throws -> Void) {
        state.withLock { $0.completions.append(action) }
    }

    /// Runs `action` once the response of a successful operation has been written (see
    /// ``BackgroundTasks``); never for a failed one.
    public func afterResponse(_ action: @escaping @Sendable () async -> Void) {
        state.withLock { $0.afterResponse.append(action) }
    }

    /// Lets `addHeaders` add to the headers of the operation's answer, when it succeeds (see
    /// ``ResponseHeaders``).
    public func onSuccessfulResponse(_ addHeaders: @escaping @Sendable (inout HTTPFields) -> Void) {
        state.withLock { $0.responseHeaders.append(addHeaders) }
    }

    /// The headers the operation's dependencies added to its answer.
    func addedResponseHeaders() -> HTTPFields {
        var fields = HTTPFields()
        for add in state.withLock({ $0.responseHeaders }) { add(&fields) }
        return fields
    }

    /// The after-response actions registered, taken out of the scope.
    func takeAfterResponseActions() -> [@Sendable () async -> Void] {
        state.withLock { state in
            defer { state.afterResponse = [] }
            return state.afterResponse
        }
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

extension RequestScope: Dependency {
    /// The scope itself, for operations that need the raw request.
    public static func resolve(_: NoInput, in scope: RequestScope) async throws -> RequestScope { scope }
}
