import Foundation
import TernAPI
import TernCache

/// An item as the API shows it.
@Schema
struct ItemPublic {
    @Field(minLength: 1, maxLength: 255) var title: String
    @Field(maxLength: 255) var description: String?
    var id: UUID
    var ownerId: UUID
    var createdAt: Date?
}

/// Items are cached as the API answers them, by their own JSON writer and validator.
extension ItemPublic: CacheValue {
    init(_ item: Item) {
        self.init(title: item.title, description: item.description, id: item.id, ownerId: item.ownerId, createdAt: item.createdAt)
    }
}

extension Item {
    /// The item as the cache keeps it.
    init(_ item: ItemPublic) {
        self.init(id: item.id, title: item.title, description: item.description, ownerId: item.ownerId, createdAt: item.createdAt)
    }
}

/// A page of items, with the total count and, when more follow, the cursor of the next page.
@Schema
struct ItemsPublic {
    var data: [ItemPublic]
    var count: Int
    var nextCursor: String?
}

extension ItemsPublic {
    /// A page as the service lists it.
    init(_ page: Page<Item>, nextCursor: String? = nil) {
        self.init(data: page.rows.map(ItemPublic.init), count: page.count, nextCursor: nextCursor)
    }
}

/// Properties to receive on item creation.
@Schema
struct ItemCreate {
    @Field(minLength: 1, maxLength: 255) var title: String
    @Field(maxLength: 255) var description: String?
}

/// Changes to an item; only the fields sent are applied.
@Schema
struct ItemUpdate {
    @Field(minLength: 1, maxLength: 255) var title: Patch<String?> = .unset
    @Field(maxLength: 255) var description: Patch<String?> = .unset
}
