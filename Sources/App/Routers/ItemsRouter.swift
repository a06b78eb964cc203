import Foundation
import TernAPI

@Input
struct ReadItemsInput {
    @Depends var items: ItemService  // first: it authenticates, and a 401 comes before the page's 422s
    @Depends var page: Pagination
}

@Input
struct ItemByIdInput {
    @Path var id: UUID
    @Depends var items: ItemService
}

@Input
struct CreateItemInput {
    @Body var item: ItemCreate
    @Depends var items: ItemService
}

@Input
struct UpdateItemInput {
    @Path var id: UUID
    @Body var changes: ItemUpdate
    @Depends var items: ItemService
}

/// Items, which belong to users (tag `items`).
@APIRouter(prefix: "/items", tags: ["items"])
struct ItemsRouter {
    /// Retrieve items.
    @GET("/", scopes: [.itemsRead])
    func readItems(_ input: ReadItemsInput) async throws -> ItemsPublic {
        let page = try await input.items.list(skip: input.page.skip, limit: input.page.limit)
        return ItemsPublic(data: page.items.map(ItemPublic.init), count: page.count)
    }

    /// Get item by ID.
    @GET("/{id}", errors: ItemError.allCases, cache: .private(), scopes: [.itemsRead])
    func readItem(_ input: ItemByIdInput) async throws -> ItemPublic {
        ItemPublic(try await input.items.read(id: input.id))
    }

    /// Create new item.
    @POST("/", scopes: [.itemsWrite])
    func createItem(_ input: CreateItemInput) async throws -> ItemPublic {
        ItemPublic(try await input.items.create(input.item))
    }

    /// Update an item.
    @PUT("/{id}", errors: ItemError.allCases, scopes: [.itemsWrite])
    func updateItem(_ input: UpdateItemInput) async throws -> ItemPublic {
        ItemPublic(try await input.items.update(id: input.id, with: input.changes))
    }

    /// Delete an item.
    @DELETE("/{id}", errors: ItemError.allCases, scopes: [.itemsWrite])
    func deleteItem(_ input: ItemByIdInput) async throws -> Message {
        try await input.items.delete(id: input.id)
        return Message(message: "Item deleted successfully")
    }
}
