import Foundation
import Logging
import TernAPI
import TernBroadcast
import TernPrimitives

/// Tells users that one of their items changed, in whichever process they are connected to: each
/// change is published to its owner's topic once its transaction commits, and each open event stream
/// or WebSocket of the owner receives it. A failure to publish is logged, never the request's.
struct ItemNotifications: Sendable {
    let broadcaster: any Broadcaster
    let logger: Logger

    /// What happened to the item.
    enum Change: String, Sendable {
        case created = "item.created"
        case updated = "item.updated"
        case deleted = "item.deleted"
    }

    func publish(_ change: Change, _ item: Item) async {
        var json = JSONWriter()
        ItemChanged(type: change.rawValue, item: ItemPublic(item)).writeJSON(to: &json)
        do {
            try await broadcaster.publish(String(decoding: json.bytes, as: UTF8.self), to: Self.topic(of: item.ownerId))
        } catch {
            logger.warning("a notification was not sent", metadata: ["error": "\(error)", "item": "\(item.id.lowercasedString)"])
        }
    }

    /// The changes of `user`'s items from now on, each an ``ItemChanged`` as JSON.
    func messages(of user: UUID) -> some AsyncSequence<String, Never> & Sendable {
        broadcaster.messages(of: Self.topic(of: user))
    }

    /// The changes of `user`'s items from now on, as events named after the change.
    func events(of user: UUID) -> some AsyncSequence<ServerSentEvent, Never> & Sendable {
        messages(of: user).map { message in
            let type = (try? JSONParser.parse(message))?["type"]?.stringValue
            return ServerSentEvent(event: type, data: message)
        }
    }

    private static func topic(of user: UUID) -> String {
        "user:\(user.lowercasedString):items"
    }
}

/// The message of a change: its kind and the item as the API answers it (as it was, when deleted).
@Schema
struct ItemChanged {
    var type: String
    var item: ItemPublic
}
