import TernAPI
import TernDatabase

/// An application context that holds the database: what `Database` and `DatabaseSession` need
/// to be dependencies.
public protocol DatabaseContext: Sendable {
    var database: Database { get }
}

extension Database: ContextDependency {
    /// The application's shared database, for work outside the request's unit of work (reading the
    /// current user, a login that must not hold a transaction while it hashes).
    public static func resolve(from context: any DatabaseContext, in scope: RequestScope) async throws -> Database {
        context.database
    }

    public static var errors: [any APIErrorConvertible] { [DatabaseErrorAnswers.unavailable] }
}

extension ReadAhead: Dependency {
    /// The request's own: what one dependency adds, the request's first statement takes along.
    public static func resolve(_: NoInput, in scope: RequestScope) async throws -> ReadAhead {
        ReadAhead()
    }
}

extension DatabaseSession: Dependency {
    /// A session works on the shared database.
    @Input
    public struct Needs {
        @Depends var database: Database
    }

    /// The request's session on the shared `Database`: a unit of work for requests that change
    /// things, autocommit for `GET` and `HEAD`. It commits when the operation succeeds (before the
    /// response is sent, so a failed commit is reported) and rolls back when it throws.
    public static func resolve(_ needs: Needs, in scope: RequestScope) async throws -> DatabaseSession {
        let reads = scope.request.method == .get || scope.request.method == .head
        let session = DatabaseSession(database: needs.database, mode: reads ? .autocommit : .unitOfWork)
        scope.onCompletion { succeeded in
            if succeeded {
                try await session.commit()
            } else {
                await session.rollback()
            }
        }
        return session
    }
}
