import Foundation
import TernAPI
import TernAPIDatabase
import TernDatabase

/// The item a `GET` names in its path's `{id}`, read ahead: its statement waits in the request's
/// ``ReadAhead`` and travels with the caller's lookup (``CurrentUser/account(_:app:database:readAhead:)``),
/// so that reading an item costs one round trip instead of two. Declare it before ``ItemService``,
/// which authenticates.
///
/// Only a hint. It reads `{id}` before the operation validates it, since dependencies come first
/// (a 401 answers before a 422): an id that is no UUID reads nothing ahead, and the operation's own
/// `@Path` answers for it. The item is read before the caller is known, but ``ItemService`` uses it
/// only for the same id and only after its checks, so the answers and their order do not change;
/// a request refused for its credential costs one indexed lookup more. On `GET` only: a request
/// that changes the item reads it inside its unit of work.
struct RequestedItem: Dependency {
    private let id: UUID?
    private let read: ReadAhead.Read<Item?>?

    @Input
    struct Needs {
        @Depends var readAhead: ReadAhead
    }

    static func resolve(_ needs: Needs, in scope: RequestScope) async throws -> RequestedItem {
        var ignored = ValidationIssues()
        guard scope.request.method == .get, let id = scope.request.path("id", UUID.self, options: .none, issues: &ignored) else {
            return RequestedItem(id: nil, read: nil)
        }
        return RequestedItem(id: id, read: needs.readAhead.add(ItemRepository().find(id: id)))
    }

    /// The read ahead of the item `id`, if this is the item read ahead.
    func read(of id: UUID) -> ReadAhead.Read<Item?>? {
        self.id == id ? read : nil
    }
}
