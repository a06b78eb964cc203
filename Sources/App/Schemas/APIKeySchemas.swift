import Foundation
import TernAPI
import TernAuth

/// A key a user asks for.
@Schema
struct APIKeyCreate {
    /// What the key is for, to tell it from the others.
    @Field(minLength: 1, maxLength: 100) var name: String
    /// The scopes the key may use, among those the user has; by default, all of them.
    var scopes: [String]?
    /// Days until it stops working; by default, never.
    @Field(ge: 1, le: 3650) var expiresInDays: Int?
    /// The user's password, asked again: a key outlives the session that makes it.
    @Field(minLength: 1, maxLength: 128, format: .password) var currentPassword: String
}

/// A key as its owner sees it: never the key itself, but its prefix, which names it.
@Schema
struct APIKeyPublic {
    var id: UUID
    var name: String
    var prefix: String
    var scopes: [String]
    var createdAt: Date
    var expiresAt: Date?
    var lastUsedAt: Date?
}

extension APIKeyPublic {
    init(_ key: APIKey) {
        self.init(
            id: key.id, name: key.name, prefix: key.prefix, scopes: key.scopes, createdAt: key.createdAt, expiresAt: key.expiresAt,
            lastUsedAt: key.lastUsedAt)
    }
}

/// A key just created, with the key: shown this once, stored only as a hash.
@Schema
struct APIKeyCreated {
    var id: UUID
    var name: String
    var prefix: String
    var scopes: [String]
    var createdAt: Date
    var expiresAt: Date?
    /// Send it as `X-API-Key`. Keep it now: it cannot be shown again.
    var key: String
}

extension APIKeyCreated {
    init(_ new: NewAPIKey) {
        let key = new.key
        self.init(
            id: key.id, name: key.name, prefix: key.prefix, scopes: key.scopes, createdAt: key.createdAt, expiresAt: key.expiresAt,
            key: new.text)
    }
}

/// A user's keys, with their count.
@Schema
struct APIKeysPublic {
    var data: [APIKeyPublic]
    var count: Int
}
