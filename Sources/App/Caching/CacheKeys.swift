import Foundation
import TernPrimitives

/// The cache's keys, one place for each kind of entry, so that what is read and what is invalidated
/// never drift apart.
enum CacheKeys {
    /// The user an access token names, read by every authenticated request (``CurrentUser``).
    static func user(_ id: UUID) -> String { "user:\(id.lowercasedString)" }
    /// An item, as ``ItemService/read(id:)`` finds it.
    static func item(_ id: UUID) -> String { "item:\(id.lowercasedString)" }
}

extension User {
    init(_ user: UserPublic) {
        self.init(
            id: user.id, email: user.email, isActive: user.isActive, isSuperuser: user.isSuperuser, fullName: user.fullName,
            createdAt: user.createdAt)
    }
}

extension Item {
    init(_ item: ItemPublic) {
        self.init(id: item.id, title: item.title, description: item.description, ownerId: item.ownerId, createdAt: item.createdAt)
    }
}
