import Foundation
import TernAPI
import TernPrimitives

@Input
struct ReadItemsInput {
    @Depends var items: ItemService  // first: it authenticates, and a 401 comes before the page's 422s
    @Depends var page: Pagination
}

@Input
struct ExportItemsInput {
    @Depends var items: ItemService
}

@Input
struct ItemByIdInput {
    @Path var id: UUID
    @Depends var items: ItemService
}

@Input
struct ReadItemInput {
    @Path var id: UUID
    @Depends var requested: RequestedItem  // before the service: the item travels with the caller's lookup
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
        let page = try await input.items.list(input.page)
        return ItemsPublic(page, nextCursor: input.page.cursor(at: page.nextPosition))
    }

    /// Export items as CSV.
    ///
    /// The items the list shows, all of them, written as they are read: a large export starts at
    /// once and the server holds a few hundred rows at a time.
    @GET("/export/csv", scopes: [.itemsRead])
    func exportItemsCsv(_ input: ExportItemsInput) async throws -> CSVResponse {
        CSVResponse(filename: "items.csv", header: ["id", "title", "description", "owner_id", "created_at"]) { csv in
            try await input.items.forEachBatch { items in
                for item in items {
                    try await csv.writeRow([
                        item.id.lowercasedString, item.title, item.description, item.ownerId.lowercasedString,
                        item.createdAt?.apiText,
                    ])
                }
                try await csv.flush()
            }
        }
    }

    /// Export items as JSON Lines.
    ///
    /// One item per line, as the item endpoints answer them, written as they are read.
    @GET("/export/jsonl", scopes: [.itemsRead])
    func exportItemsJsonl(_ input: ExportItemsInput) async throws -> JSONLinesResponse<ItemPublic> {
        JSONLinesResponse { lines in
            try await input.items.forEachBatch { items in
                for item in items { try await lines.write(ItemPublic(item)) }
                try await lines.flush()
            }
        }
    }

    /// Get item by ID.
    @GET("/{id}", errors: ItemError.allCases, cache: .private(), scopes: [.itemsRead])
    func readItem(_ input: ReadItemInput) async throws -> ItemPublic {
        ItemPublic(try await input.items.read(id: input.id, requested: input.requested))
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
