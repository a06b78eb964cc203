import Logging

/// A WebSocket endpoint, declared like an operation: a path, typed inputs read from the upgrade
/// request (`@Depends var current: CurrentUser` authenticates it), the scopes it requires, and the
/// types of the messages each side sends, which are JSON text validated with their schemas.
///
/// ```swift
/// api.include(WebSocketRoute("/notifications/items/ws", name: "item_events_socket", scopes: [.itemsRead],
///     receives: ClientCommand.self, sends: ItemChanged.self) { (input: ItemEventsInput, session) in
///     for try await command in session.messages { ... }
/// })
/// ```
///
/// The inputs are resolved once, when the socket opens, and the request's scope ends then (its
/// database session commits): a socket lives far longer than a request, so work done per message
/// goes through services, not through a session held open for the socket's life.
public struct WebSocketRoute: Sendable {
    /// The path, OpenAPI style (`/items/{id}/ws`), including every prefix once included.
    public internal(set) var path: String
    /// The handler's name in snake_case, for logs.
    public let name: String
    /// The scopes a client's token must grant.
    public let requiredScopes: [Scope]
    /// What the upgrade request is read into, for the route's listing.
    let inputType: any OperationInput.Type
    /// Reads the inputs from the upgrade request and returns what serves the socket with them.
    let open: @Sendable (RequestScope) async throws -> @Sendable (WebSocketConnection) async throws -> Void

    public init<Input: OperationInput, Incoming: APIValue, Outgoing: APIValue>(
        _ path: String, name: String, scopes: [Scope] = [], receives: Incoming.Type, sends: Outgoing.Type,
        handler: @escaping @Sendable (Input, WebSocketSession<Incoming, Outgoing>) async throws -> Void
    ) {
        self.path = path
        self.name = name
        self.requiredScopes = scopes
        self.inputType = Input.self
        self.open = { scope in
            let input = try await APIOperation.input(Input.self, from: scope)
            return { connection in try await handler(input, WebSocketSession(connection: connection)) }
        }
    }
}
