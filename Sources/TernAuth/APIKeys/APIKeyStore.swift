import Foundation
import TernDatabase

/// The SQL of API keys: every statement on `api_key` (Migrations/0007), and nothing else.
struct APIKeyStore: Sendable {
    private static let columns: SQL = "id, user_id, name, prefix, scopes, created_at, expires_at, last_used_at"

    func insert(_ key: APIKey, hash: String, on database: some Queryable) async throws {
        try await database.execute(
            """
            INSERT INTO api_key (id, user_id, name, prefix, key_hash, scopes, created_at, expires_at)
            VALUES (\(key.id), \(key.userId), \(key.name), \(key.prefix), \(hash), \(key.scopes.joined(separator: " ")),
                    \(key.createdAt), \(key.expiresAt))
            """)
    }

    /// The live key with this prefix and its stored hash: not revoked, not expired.
    func live(prefix: String, now: Date, on database: some Queryable) async throws -> (key: APIKey, hash: String)? {
        let row = try await database.queryFirst(
            """
            SELECT \(Self.columns), key_hash FROM api_key
            WHERE prefix = \(prefix) AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > \(now))
            """, as: StoredKey.self)
        return row.map { ($0.key, $0.keyHash) }
    }

    /// The user's keys that are not revoked, newest first (expired ones included: their owner
    /// should see why a key stopped working).
    func keys(of user: UUID, on database: some Queryable) async throws -> [APIKey] {
        try await database.query(
            "SELECT \(Self.columns) FROM api_key WHERE user_id = \(user) AND revoked_at IS NULL ORDER BY created_at DESC, id",
            as: APIKey.self)
    }

    /// Notes a use, at most once a minute per key: authenticating should not mean writing.
    func touch(_ id: UUID, now: Date, on database: some Queryable) async throws {
        let aMinuteAgo = now.addingTimeInterval(-60)
        try await database.execute(
            "UPDATE api_key SET last_used_at = \(now) WHERE id = \(id) AND (last_used_at IS NULL OR last_used_at < \(aMinuteAgo))")
    }

    /// Revokes every key of the user; how many.
    func revokeAll(of user: UUID, now: Date, on database: some Queryable) async throws -> Int {
        try await database.execute("UPDATE api_key SET revoked_at = \(now) WHERE user_id = \(user) AND revoked_at IS NULL")
    }

    /// Revokes one of the user's keys; `false` when they have no such live key.
    func revoke(_ id: UUID, of user: UUID, now: Date, on database: some Queryable) async throws -> Bool {
        try await database.execute(
            "UPDATE api_key SET revoked_at = \(now) WHERE id = \(id) AND user_id = \(user) AND revoked_at IS NULL") > 0
    }
}

/// A key with its stored hash, from one row.
private struct StoredKey: Decodable {
    let key: APIKey
    let keyHash: String

    private enum CodingKeys: String, CodingKey {
        case keyHash
    }

    init(from decoder: any Decoder) throws {
        key = try APIKey(from: decoder)
        keyHash = try decoder.container(keyedBy: CodingKeys.self).decode(String.self, forKey: .keyHash)
    }
}
