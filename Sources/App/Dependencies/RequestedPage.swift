import Foundation
import TernAPI
import TernAPIDatabase
import TernAuth
import TernDatabase
import TernPrimitives

/// The page of items a `GET` of the item list asks for, read ahead as the bearer token's user's own
/// page: its statement waits in the request's ``ReadAhead`` and travels with the caller's lookup
/// (``CurrentUser/account(_:app:database:readAhead:)``), so that a list costs one round trip
/// instead of two. Declare it before ``ItemService``, which authenticates.
///
/// Only a guess, checked before use. Whose items a caller sees depends on their role, which is read
/// in that same lookup, so the guess is the common case: their own. ``ItemService`` uses the page
/// only if the caller turns out to see just their own items, and only for the same page; otherwise
/// it reads the right one, as before. So a moderator's or a superuser's list sends one statement it
/// does not use, in the same round trip, and a token that names `items:read-all` reads nothing
/// ahead. The token and the page's parameters are read before the operation checks them (a 401
/// answers before a 422): any that does not pass reads nothing ahead, and answers as before.
struct RequestedPage: Dependency {
    private let ahead: Ahead?

    /// The page read ahead, and what it was read for.
    private struct Ahead {
        let owner: UUID
        let skip: Int
        let limit: Int
        let after: PagePosition?
        let query: PageQuery<Item>
        let read: ReadAhead.Read<Page<Item>?>
    }

    @Input
    struct Needs {
        @Depends var app: AppServices
        @Depends var readAhead: ReadAhead
    }

    static func resolve(_ needs: Needs, in scope: RequestScope) async throws -> RequestedPage {
        // A verified token is remembered by its text, so the caller's own check costs no second verification.
        guard scope.request.method == .get, let token = OAuth2PasswordBearer.token(in: scope.request),
            let access = try? await needs.app.tokens.verify(token, as: .access),
            access.scopes?.contains(Scope.itemsReadAll.name) != true, let owner = UUID(canonical: access.subject),
            let page = try? await Pagination.resolve(from: needs.app, in: scope)
        else { return RequestedPage(ahead: nil) }
        let query = ItemRepository().page(owner: owner, after: page.after, skip: page.skip, limit: page.limit)
        return RequestedPage(
            ahead: Ahead(
                owner: owner, skip: page.skip, limit: page.limit, after: page.after, query: query,
                read: needs.readAhead.add(query.statement)))
    }

    /// The page of `owner`'s items `page` asks for, if it is the page read ahead and it has arrived
    /// (past the end, its total is counted now, on `database`).
    func page(ownedBy owner: UUID?, _ page: Pagination, on database: some Queryable) async throws -> Page<Item>? {
        guard let ahead, owner == ahead.owner, page.skip == ahead.skip, page.limit == ahead.limit, page.after == ahead.after,
            let read = try ahead.read.arrived()
        else { return nil }
        return try await ahead.query.page(from: read, on: database)
    }
}
