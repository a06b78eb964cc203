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

extension NotificationsRouter {
    /// Item changes over a WebSocket, `/notifications/items/ws`.
    ///
    /// The same messages as the event stream, `{"type": "item.created", "item": {...}}`, from any
    /// `api` process. A browser authenticates with `?token=<access token>` or by sending
    /// `{"token": "<access token>"}` first; `{"type": "ping"}` is answered `{"type": "pong"}`, and any
    /// other message closes the socket with 1008.
    static let itemEventsSocket = WebSocketRoute(
        "/notifications/items/ws", name: "item_events_socket", scopes: [.itemsRead],
        receives: NotificationClientMessage.self, sends: NotificationServerMessage.self
    ) { (input: ItemEventsInput, session) in
        // Subscribed before the first message is answered: a client that got its pong misses nothing.
        let changes = input.app.itemNotifications.messages(of: input.current.user.id)
        try await withThrowingTaskGroup { group in
            group.addTask {
                for await event in changes {
                    try await session.send(encoded: event)
                }
            }
            // Reading is what notices the client leave: then the forwarding above stops too.
            for try await message in session.messages where message.type == .ping {
                try await session.send(NotificationServerMessage(type: "pong", item: nil))
            }
            group.cancelAll()
        }
    }
}
