import Foundation
import TernAPI
import TernCache
import TernDatabase

/// The rules of items: users see and change their own; a credential granted `items:read-all` sees
/// everyone's (a moderator's, a superuser's), one granted `items:write-all` changes them too (a
/// superuser's). Built for each request
/// from what it declares: the request's session, its user and the application's cache (tests
/// replace any).
@Input
struct ItemService: InputDependency {
    @Depends var session: DatabaseSession
    @Depends var caller: Caller
    @Depends var app: AppServices
    let items = ItemRepository()
    let attachments = AttachmentRepository()
    let users = UserRepository()

    private var user: User { caller.user }

    func list(_ page: Pagination) async throws -> Page<Item> {
        try await items.page(
            owner: caller.may(.itemsReadAll) ? nil : user.id, after: page.after, skip: page.skip, limit: page.limit, on: session)
    }

    /// A page of one user's items: the caller's own, or anyone's with `items:read-all`.
    func list(ownedBy owner: UUID, _ page: Pagination) async throws -> Page<Item> {
        guard owner == user.id || caller.may(.itemsReadAll) else { throw ItemError.notEnoughPermissions }
        return try await items.page(owner: owner, after: page.after, skip: page.skip, limit: page.limit, on: session)
    }

    /// Who owns an item the caller has read: the caller, or (with `items:read-all`) another user.
    func owner(of item: Item) async throws -> User {
        if item.ownerId == user.id { return user }
        guard caller.may(.itemsReadAll) else { throw ItemError.notEnoughPermissions }
        guard let owner = try await users.find(id: item.ownerId, on: session) else { throw UserError.notFound }
        return owner
    }

    /// Every item ``list`` would show, in batches of `batchSize`, each handed to `body` before the
    /// next is read: an export streams them as they come. Read from the database itself, not the
    /// request's session: the batches are read while the response is written, after the request's
    /// unit of work has ended. An item added or deleted meanwhile may or may not be in the export.
    func forEachBatch(of batchSize: Int = 500, _ body: ([Item]) async throws -> Void) async throws {
        let owner = caller.may(.itemsReadAll) ? nil : user.id
        var last: UUID?
        while true {
            let batch = try await items.batch(owner: owner, after: last, limit: batchSize, on: session.database)
            if !batch.isEmpty { try await body(batch) }
            guard batch.count == batchSize, let next = batch.last?.id else { return }
            last = next
        }
    }

    /// Existence is checked before ownership, so others learn that an item exists (as the contract
    /// says). What `requested` read ahead answers, if it is this item.
    func read(id: UUID, requested: RequestedItem? = nil) async throws -> Item {
        try await find(id: id, unlessOthersNeed: .itemsReadAll, readAhead: requested?.read(of: id))
    }

    /// One statement, committed with the unit of work in the same round trip.
    func create(_ input: ItemCreate) async throws -> Item {
        let item = Item(id: UUID(), title: input.title, description: input.description, ownerId: user.id, createdAt: Date())
        let created = try await session.commit(with: items.insert(item))
        await app.itemNotifications.publish(.created, created)
        return created
    }

    /// Only the fields sent change; a `null` title is ignored (a title is required).
    func update(id: UUID, with changes: ItemUpdate) async throws -> Item {
        let item = try await find(id: id, unlessOthersNeed: .itemsWriteAll)
        let title = changes.title.value ?? nil
        let description = changes.description.value
        if title == nil && description == nil { return item }  // nothing to write
        let updated = try await items.update(id: id, title: title, description: description, on: session)
        guard let updated else { throw ItemError.notFound }
        await invalidateAfterCommit(id)
        await notifyAfterCommit(.updated, updated)
        return updated
    }

    /// Its attachments go with it: their rows by `ON DELETE CASCADE`, their files once that commits.
    func delete(id: UUID) async throws {
        let item = try await find(id: id, unlessOthersNeed: .itemsWriteAll)
        let attachmentIDs = try await attachments.ids(item: id, on: session)
        try await items.delete(id: id, on: session)
        await invalidateAfterCommit(id)
        await notifyAfterCommit(.deleted, item)
        if !attachmentIDs.isEmpty { await session.afterCommit { [store = app.attachmentStore] in await store.remove(attachmentIDs) } }
    }

    /// The item, if the caller may change it: theirs, or the credential was granted `items:write-all`.
    func modifiable(id: UUID) async throws -> Item {
        try await find(id: id, unlessOthersNeed: .itemsWriteAll)
    }

    /// The item, if it is the user's or the credential was granted `othersScope`.
    private func find(id: UUID, unlessOthersNeed othersScope: Scope, readAhead: ReadAhead.Read<Item?>? = nil) async throws -> Item {
        guard let item = try await find(id: id, readAhead: readAhead) else { throw ItemError.notFound }
        guard item.ownerId == user.id || caller.may(othersScope) else { throw ItemError.notEnoughPermissions }
        return item
    }

    /// Reads go through the cache; a unit of work reads the database itself, since what it sees may
    /// never be committed. An item read ahead is answered as it is and never cached: it was read
    /// before the cache's computation would start, so an invalidation in between would not stop
    /// the cache from storing a row already changed.
    private func find(id: UUID, readAhead: ReadAhead.Read<Item?>?) async throws -> Item? {
        guard session.mode == .autocommit else { return try await items.find(id: id, on: session) }
        if let readAhead, let item = try readAhead.arrived() { return item }
        return try await app.cache.value(for: CacheKeys.item(id), lifetime: app.settings.cacheLifetime) { [items, session] in
            try await items.find(id: id, on: session).map(ItemPublic.init)
        }.map(Item.init)
    }

    /// The owner hears of it once it is committed (a rolled-back change never happened).
    private func notifyAfterCommit(_ change: ItemNotifications.Change, _ item: Item) async {
        await session.afterCommit { [notifications = app.itemNotifications] in await notifications.publish(change, item) }
    }

    private func invalidateAfterCommit(_ id: UUID) async {
        await session.afterCommit { [cache = app.cache] in await cache.invalidate([CacheKeys.item(id)]) }
    }
}
