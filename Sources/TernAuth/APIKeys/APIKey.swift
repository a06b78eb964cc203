import Foundation

/// An API key as stored and listed: everything but the key itself, which only its creator ever sees
/// (``NewAPIKey``).
public struct APIKey: Sendable, Decodable, Equatable {
    public let id: UUID
    public let userId: UUID
    /// What its owner calls it ("CI deploys").
    public let name: String
    /// The key's first part (`tern_<prefix>_`), not secret: it finds the key, and tells its owner
    /// which key a log line or a leaked string is.
    public let prefix: String
    /// The scopes the key may use, as far as its owner still has them.
    public let scopes: [String]
    public let createdAt: Date
    public let expiresAt: Date?
    /// When it last authenticated a request (to the minute: writes are spared in between).
    public let lastUsedAt: Date?

    private enum CodingKeys: String, CodingKey {
        case id, userId, name, prefix, scopes, createdAt, expiresAt, lastUsedAt
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(UUID.self, forKey: .id)
        userId = try container.decode(UUID.self, forKey: .userId)
        name = try container.decode(String.self, forKey: .name)
        prefix = try container.decode(String.self, forKey: .prefix)
        scopes = try container.decode(String.self, forKey: .scopes).split(separator: " ").map(String.init)
        createdAt = try container.decode(Date.self, forKey: .createdAt)
        expiresAt = try container.decodeIfPresent(Date.self, forKey: .expiresAt)
        lastUsedAt = try container.decodeIfPresent(Date.self, forKey: .lastUsedAt)
    }

    init(id: UUID, userId: UUID, name: String, prefix: String, scopes: [String], createdAt: Date, expiresAt: Date?) {
        self.id = id
        self.userId = userId
        self.name = name
        self.prefix = prefix
        self.scopes = scopes
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.lastUsedAt = nil
    }
}

/// A key just created: the stored record, and the key itself, to show its creator once.
public struct NewAPIKey: Sendable {
    public let key: APIKey
    /// `tern_<prefix>_<secret>`; the server keeps only its SHA-256.
    public let text: String
}
