import Foundation
import TernAPI

// The arguments of the GraphQL fields, as GraphQL decodes them. Values with rules are checked by the
// REST schemas' own validation (`ItemCreate`, `ItemUpdate`, `Pagination`), not a second copy here.

/// `skip` and `limit` of a list.
struct PageArguments: Codable, Sendable {
    let skip: Int
    let limit: Int
}

/// The `id` of an item.
struct ItemIdArguments: Codable, Sendable {
    let id: UUID
}

/// A new item's fields.
struct CreateItemArguments: Codable, Sendable {
    let title: String
    let description: String?

    /// The fields as an `ItemCreate` body.
    var json: JSONValue {
        ["title": .string(title), "description": description.map(JSONValue.string) ?? .null]
    }
}

/// An item's id and the fields to change: only those sent change (`null` clears a description), as
/// with the REST `PUT`.
struct UpdateItemArguments: Decodable, Sendable {
    let id: UUID
    let title: String?
    let description: String?
    /// The fields sent, as an `ItemUpdate` body.
    let changes: JSONValue

    private enum CodingKeys: String, CodingKey {
        case id, title, description
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(UUID.self, forKey: .id)
        title = try container.decodeIfPresent(String.self, forKey: .title)
        description = try container.decodeIfPresent(String.self, forKey: .description)
        var changes: [(key: String, value: JSONValue)] = []
        for (key, value) in [(CodingKeys.title, title), (.description, description)] where container.contains(key) {
            changes.append((key.rawValue, value.map(JSONValue.string) ?? .null))
        }
        self.changes = .object(JSONObject(changes))
    }
}
