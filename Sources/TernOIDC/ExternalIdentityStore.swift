import Foundation
import TernDatabase

/// The SQL of linked identities: every statement on `user_identity` (Migrations/0010), and nothing
/// else.
public struct ExternalIdentityStore: Sendable {
    public init() {}

    /// The user this provider's account is linked to, if any.
    public func user(linkedTo identity: ExternalIdentity, on database: some Queryable) async throws -> UUID? {
        try await database.queryFirst(
            "SELECT user_id FROM user_identity WHERE provider = \(identity.provider) AND subject = \(identity.subject)", as: UUID.self)
    }

    /// Links the provider's account to `user`; `false` when it is linked already (to whomever: the
    /// first link stands).
    @discardableResult
    public func link(_ identity: ExternalIdentity, to user: UUID, now: Date = Date(), on database: some Queryable) async throws -> Bool {
        try await database.execute(
            """
            INSERT INTO user_identity (provider, subject, user_id, email, created_at)
            VALUES (\(identity.provider), \(identity.subject), \(user), \(identity.email), \(now))
            ON CONFLICT (provider, subject) DO NOTHING
            """) > 0
    }
}
