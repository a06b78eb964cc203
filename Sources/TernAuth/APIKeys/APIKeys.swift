import Crypto
import Foundation
import TernDatabase
import TernPrimitives

/// API keys: long-lived credentials a user creates for scripts and other services, sent in a header
/// (`X-API-Key`) instead of signing in.
///
/// A key reads `tern_<prefix>_<secret>`: 48 random bits of prefix, stored as they are to find the
/// key, and 256 random bits of secret. Only the SHA-256 of the whole key is stored (a key is random
/// enough that a slow hash would add nothing), and compared in constant time. A key holds the scopes
/// it was created with; the application grants them only as far as the user still has them.
public struct APIKeys: Sendable {
    private let store = APIKeyStore()

    public init() {}

    /// Creates a key for `user`, shown to them once.
    public func create(
        for user: UUID, name: String, scopes: [String], expires: Date?, on database: some Queryable, now: Date = Date()
    ) async throws -> NewAPIKey {
        let prefix = SecretBytes.random(6).map { String(format: "%02x", $0) }.joined()
        let text = "tern_\(prefix)_\(Data(SecretBytes.random(32)).base64URLEncoded)"
        let key = APIKey(
            id: UUID(), userId: user, name: name, prefix: prefix, scopes: scopes, createdAt: now.wholeSeconds,
            expiresAt: expires?.wholeSeconds)
        try await store.insert(key, hash: text.sha256Hex, on: database)
        return NewAPIKey(key: key, text: text)
    }

    /// The live key `text` is, its use noted; `nil` for anything else (malformed, unknown, revoked,
    /// expired).
    public func authenticate(_ text: String, on database: some Queryable, now: Date = Date()) async throws -> APIKey? {
        guard let prefix = Self.prefix(of: text), let (key, hash) = try await store.live(prefix: prefix, now: now, on: database),
            SecretBytes.equal(hash, text.sha256Hex)
        else { return nil }
        // Most uses fall within a minute of the last one noted: no statement for those, least of all a
        // write (on SQLite, the one writer) on every authenticated request.
        if key.lastUsedAt.map({ now.timeIntervalSince($0) >= 60 }) ?? true {
            try await store.touch(key.id, now: now, on: database)
        }
        return key
    }

    /// The user's keys that were not revoked, newest first.
    public func keys(of user: UUID, on database: some Queryable) async throws -> [APIKey] {
        try await store.keys(of: user, on: database)
    }

    /// Revokes one of the user's keys; `false` when they have no such key.
    public func revoke(_ id: UUID, of user: UUID, on database: some Queryable, now: Date = Date()) async throws -> Bool {
        try await store.revoke(id, of: user, now: now, on: database)
    }

    /// Revokes every key of the user (their account was recovered: whoever took it may have made
    /// some); how many.
    @discardableResult
    public func revokeAll(of user: UUID, on database: some Queryable, now: Date = Date()) async throws -> Int {
        try await store.revokeAll(of: user, now: now, on: database)
    }

    /// The prefix of a well-formed key.
    private static func prefix(of text: String) -> String? {
        let parts = text.split(separator: "_", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0] == "tern", parts[1].count == 12, parts[2].count == 43 else { return nil }
        return String(parts[1])
    }
}

extension Date {
    /// Whole seconds, as both databases store them.
    fileprivate var wholeSeconds: Date { Date(timeIntervalSince1970: timeIntervalSince1970.rounded(.down)) }
}
