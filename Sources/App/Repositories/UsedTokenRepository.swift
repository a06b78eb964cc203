import Foundation
import TernDatabase

/// The SQL of single-use tokens that carry nothing to tell a second use (legacy password-reset
/// tokens): the ids of those used, kept until the tokens expire.
struct UsedTokenRepository: Sendable {
    /// Records a use of the token `id`; `false` when it was used before. Forgets the tokens that
    /// expired meanwhile (they fail on their expiry anyway).
    func recordUse(of id: String, expires: Date, on database: some Queryable) async throws -> Bool {
        try await database.execute("DELETE FROM auth_used_token WHERE expires_at < \(Date())")
        do {
            try await database.execute("INSERT INTO auth_used_token (id, expires_at) VALUES (\(id), \(expires))")
            return true
        } catch let error as DatabaseError where error.kind == .uniqueViolation {
            return false
        }
    }
}
