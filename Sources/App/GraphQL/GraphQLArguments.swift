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

/// The `id` of a user.
struct UserIdArguments: Codable, Sendable {
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
        changes = try sentFields(container, [(.title, "title"), (.description, "description")])
    }
}

/// The caller's fields to change: only those sent, as with the REST `PATCH /users/me`.
struct UpdateMeArguments: Decodable, Sendable {
    let fullName: String?
    let email: String?
    /// The fields sent, as a `UserUpdateMe` body.
    let changes: JSONValue

    private enum CodingKeys: String, CodingKey {
        case fullName, email
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        fullName = try container.decodeIfPresent(String.self, forKey: .fullName)
        email = try container.decodeIfPresent(String.self, forKey: .email)
        changes = try sentFields(container, [(.fullName, "full_name"), (.email, "email")])
    }
}

/// The text fields a mutation was sent, as the REST body's `fields` (GraphQL's name, the body's
/// key): a field left out stays out, so that it does not change; one sent as `null` is `null`.
private func sentFields<Key: CodingKey>(_ container: KeyedDecodingContainer<Key>, _ fields: [(Key, String)]) throws -> JSONValue {
    var members: [(key: String, value: JSONValue)] = []
    for (key, name) in fields where container.contains(key) {
        members.append((name, try container.decodeIfPresent(String.self, forKey: key).map(JSONValue.string) ?? .null))
    }
    return .object(JSONObject(members))
}
