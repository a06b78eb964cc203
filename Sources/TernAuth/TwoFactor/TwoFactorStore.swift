import Foundation
import TernDatabase

/// The SQL of second factors: every statement on `auth_totp` and `auth_recovery_code`
/// (Migrations/0009), and nothing else.
struct TwoFactorStore: Sendable {
    struct Enrollment: Decodable, Sendable {
        let sealedSecret: String
        let confirmedAt: Date?
    }

    func enrollment(of user: UUID, on database: some Queryable) async throws -> Enrollment? {
        try await database.queryFirst("SELECT sealed_secret, confirmed_at FROM auth_totp WHERE user_id = \(user)", as: Enrollment.self)
    }

    /// Starts (or restarts) an unconfirmed enrollment; `false` when a confirmed one exists.
    func begin(_ user: UUID, sealedSecret: String, on database: some Queryable) async throws -> Bool {
        try await database.execute("DELETE FROM auth_totp WHERE user_id = \(user) AND confirmed_at IS NULL")
        return try await database.execute(
            "INSERT INTO auth_totp (user_id, sealed_secret) VALUES (\(user), \(sealedSecret)) ON CONFLICT DO NOTHING") == 1
    }

    /// Confirms the enrollment at `step`, and replaces the recovery codes.
    func confirm(_ user: UUID, step: Int64, recoveryCodeHashes: [String], now: Date, on database: some Queryable) async throws -> Bool {
        guard
            try await database.execute(
                "UPDATE auth_totp SET confirmed_at = \(now), last_step = \(step) WHERE user_id = \(user) AND confirmed_at IS NULL") == 1
        else { return false }
        try await database.execute("DELETE FROM auth_recovery_code WHERE user_id = \(user)")
        for hash in recoveryCodeHashes {
            try await database.execute("INSERT INTO auth_recovery_code (user_id, code_hash) VALUES (\(user), \(hash))")
        }
        return true
    }

    /// Records the use of `step`; `false` when it, or a later one, was used already.
    func use(step: Int64, of user: UUID, on database: some Queryable) async throws -> Bool {
        try await database.execute(
            """
            UPDATE auth_totp SET last_step = \(step)
            WHERE user_id = \(user) AND confirmed_at IS NOT NULL AND (last_step IS NULL OR last_step < \(step))
            """) == 1
    }

    /// Uses up a recovery code; `false` when it is not one of the user's unused codes.
    func useRecoveryCode(hash: String, of user: UUID, now: Date, on database: some Queryable) async throws -> Bool {
        try await database.execute(
            "UPDATE auth_recovery_code SET used_at = \(now) WHERE user_id = \(user) AND code_hash = \(hash) AND used_at IS NULL") == 1
    }

    func reseal(_ user: UUID, sealedSecret: String, on database: some Queryable) async throws {
        try await database.execute("UPDATE auth_totp SET sealed_secret = \(sealedSecret) WHERE user_id = \(user)")
    }

    func remove(_ user: UUID, on database: some Queryable) async throws {
        try await database.execute("DELETE FROM auth_recovery_code WHERE user_id = \(user)")
        try await database.execute("DELETE FROM auth_totp WHERE user_id = \(user)")
    }
}
