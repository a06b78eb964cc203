import TernAPI

/// What a client may send over the notifications socket: `{"type": "ping"}`.
@Schema
struct NotificationClientMessage {
    var type: NotificationClientMessageType
}

enum NotificationClientMessageType: String, APIEnum {
    case ping
}

/// What the notifications socket sends: an item's change (`item.created`, `item.updated`,
/// `item.deleted`, with the item, as ``ItemChanged``), or `{"type": "pong", "item": null}`.
@Schema
struct NotificationServerMessage {
    var type: String
    var item: ItemPublic?
}
