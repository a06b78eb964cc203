/// Replacements for dependencies, FastAPI's `app.dependency_overrides`: tests put a fake user, a
/// fake mailer or a test database in place without touching handlers.
///
/// ```swift
/// var overrides = DependencyOverrides()
/// overrides.replace(Mailer.self) { _ in RecordingMailer(outbox) }
/// ```
public struct DependencyOverrides: Sendable {
    fileprivate var providers: [ObjectIdentifier: @Sendable (RequestScope) async throws -> any Sendable] = [:]

    public init() {}

    /// Resolves `type` with `provide` instead of its own `resolve(in:)`.
    public mutating func replace<D: Dependency>(
        _ type: D.Type, with provide: @escaping @Sendable (RequestScope) async throws -> D
    ) {
        providers[ObjectIdentifier(type)] = provide
    }

    func provider<D: Dependency>(for type: D.Type) -> (@Sendable (RequestScope) async throws -> any Sendable)? {
        providers[ObjectIdentifier(type)]
    }
}
