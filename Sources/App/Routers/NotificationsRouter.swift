import TernAPI

@Input
struct ItemEventsInput {
    @Depends var current: CurrentUser
    @Depends var app: AppServices
}

/// What users are told as it happens (tag `notifications`).
@APIRouter(prefix: "/notifications", tags: ["notifications"])
struct NotificationsRouter {
    /// Item changes as Server-Sent Events.
    ///
    /// An event per change of the user's items, made through any `api` process: `item.created`,
    /// `item.updated` or `item.deleted`, its data `{"type": ..., "item": {...}}`; a keep-alive
    /// comment every 15 seconds. Changes made while not connected are not replayed: read the
    /// items again after reconnecting.
    @GET("/items", scopes: [.itemsRead])
    func itemEvents(_ input: ItemEventsInput) async throws -> EventStreamResponse {
        EventStreamResponse(events: input.app.itemNotifications.events(of: input.current.user.id))
    }
}
