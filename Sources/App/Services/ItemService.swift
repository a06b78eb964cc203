import Foundation
import TernAPI
import TernDatabase

/// The rules of items: users see and change their own, superusers everyone's. Built for each request
/// from what it declares: the request's session and its user (tests replace either).
@Input
struct ItemService: InputDependency {
    @Depends var session: DatabaseSession
    @Depends var current: CurrentUser
    let items = ItemRepository()

    private var user: User { current.user }

    func list(skip: Int, limit: Int) async throws -> (items: [Item], count: Int) {
        try await items.page(owner: user.isSuperuser ? nil : user.id, skip: skip, limit: limit, on: session)
    }

    /// Existence is checked before ownership, so others learn that an item exists (as the contract says).
    func read(id: UUID) async throws -> Item {
        guard let item = try await items.find(id: id, on: session) else { throw ItemError.notFound }
        guard user.isSuperuser || item.ownerId == user.id else { throw ItemError.notEnoughPermissions }
        return item
    }

    func create(_ input: ItemCreate) async throws -> Item {
        let item = Item(id: UUID(), title: input.title, description: input.description, ownerId: user.id, createdAt: Date())
        return try await items.insert(item, on: session)
    }

    /// Only the fields sent change; a `null` title is ignored (a title is required).
    func update(id: UUID, with changes: ItemUpdate) async throws -> Item {
        let item = try await read(id: id)
        let title = changes.title.value ?? nil
        let description = changes.description.value
        if title == nil && description == nil { return item }  // nothing to write
        let updated = try await items.update(id: id, title: title, description: description, on: session)
        guard let updated else { throw ItemError.notFound }
        return updated
    }

    func delete(id: UUID) async throws {
        _ = try await read(id: id)
        try await items.delete(id: id, on: session)
    }
}
