import Foundation
import TernDatabase

/// The SQL of linked identities: every statement on `user_identity` (Migrations/0010), and nothing
/// else.
public struct ExternalIdentityStore: Sendable {
    public init() {}

    /// The user this provider's account is linked to, if any.
    public func user(linkedTo identity: ExternalIdentity, on database: some Queryable) async throws -> UUID? {
        try await database.queryFirst(
            "SELECT user_id FROM user_identity WHERE issuer = \(identity.issuer) AND subject = \(identity.subject)", as: UUID.self)
    }

    /// Links the provider's account to `user`, unless it is linked already (to whomever: the first
    /// link stands); the user it is linked to.
    public func link(_ identity: ExternalIdentity, to user: UUID, now: Date = Date(), on database: some Queryable) async throws -> UUID {
        try await database.execute(
            """
            INSERT INTO user_identity (issuer, subject, user_id, provider, email, created_at)
            VALUES (\(identity.issuer), \(identity.subject), \(user), \(identity.provider), \(identity.email), \(now))
            ON CONFLICT (issuer, subject) DO NOTHING
            """)
        return try await self.user(linkedTo: identity, on: database) ?? user
    }

    /// Removes every link of the user; how many there were.
    @discardableResult
    public func unlinkAll(of user: UUID, on database: some Queryable) async throws -> Int {
        try await database.execute("DELETE FROM user_identity WHERE user_id = \(user)")
    }
}
