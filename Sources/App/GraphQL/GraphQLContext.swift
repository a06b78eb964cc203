import Foundation
import TernAPI
import TernDatabase

/// What the GraphQL resolvers of one request work with. The caller is identified when a field first
/// needs them (an introspection query needs no token), as the REST operations identify them
/// (``Caller``: a token, an API key or Basic credentials), and each field requires the scope its
/// REST twin requires.
struct GraphQLContext: Dependency {
    let scope: RequestScope
    let app: AppServices
    /// Reads, outside any unit of work and through the cache, as the REST `GET`s read.
    let reads: DatabaseSession

    @Input
    struct Needs {
        @Depends var scope: RequestScope
        @Depends var app: AppServices
    }

    static func resolve(_ needs: Needs, in scope: RequestScope) async throws -> GraphQLContext {
        GraphQLContext(scope: needs.scope, app: needs.app, reads: DatabaseSession(database: needs.app.database, mode: .autocommit))
    }

    /// Items as the caller sees them, once their credential is granted `required`.
    func items(_ required: Scope) async throws -> ItemService {
        ItemService(session: reads, caller: try await caller(granted: required), app: app)
    }

    /// Accounts, through the request's session (a unit of work for `POST`, committed when the
    /// operation ends), for a caller granted `required`.
    func users(_ required: Scope) async throws -> (service: UserService, caller: Caller) {
        let caller = try await caller(granted: required)
        return (try await scope.resolve(UserService.self), caller)
    }

    /// Runs `change` in a unit of work of its own: each mutation field commits, or rolls back, alone,
    /// as the fields of a GraphQL mutation succeed or fail one by one.
    func changingItems<Result: Sendable>(_ change: (ItemService) async throws -> Result) async throws -> Result {
        let caller = try await caller(granted: .itemsWrite)
        let session = DatabaseSession(database: app.database, mode: .unitOfWork)
        do {
            let result = try await change(ItemService(session: session, caller: caller, app: app))
            try await session.commit()
            return result
        } catch {
            await session.rollback()
            throw error
        }
    }

    /// The caller, if their credential was granted `required`.
    func caller(granted required: Scope) async throws -> Caller {
        let caller = try await scope.resolve(Caller.self)
        guard caller.may(required) else { throw InsufficientScope(required: [required], challenge: "Bearer") }
        return caller
    }
}
