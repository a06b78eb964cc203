import Foundation
import TernDatabase

/// The SQL of sign-in sessions: every statement on `auth_session` and `auth_refresh_token`
/// (Migrations/0005, 0006), and nothing else. Refresh tokens are stored only as their SHA-256.
struct SessionStore: Sendable {
    /// A refresh token as stored, with its session (columns found by their snake_case names).
    struct RefreshRecord: Decodable, Sendable {
        let sessionId: UUID
        let userId: UUID
        let usedAt: Date?
        let lastUsedAt: Date
        let expiresAt: Date
        let revokedAt: Date?
        /// The session's scopes, space-separated; `nil` when not limited.
        let scopes: String?
    }

    func createSession(id: UUID, user: UUID, scopes: [String]?, now: Date, expires: Date, on database: some Queryable) async throws {
        try await database.execute(
            """
            INSERT INTO auth_session (id, user_id, created_at, last_used_at, expires_at, scopes)
            VALUES (\(id), \(user), \(now), \(now), \(expires), \(scopes?.joined(separator: " ")))
            """)
    }

    func addRefreshToken(hash: String, session: UUID, now: Date, on database: some Queryable) async throws {
        try await database.execute(
            "INSERT INTO auth_refresh_token (token_hash, session_id, issued_at) VALUES (\(hash), \(session), \(now))")
    }

    func refreshToken(hash: String, on database: some Queryable) async throws -> RefreshRecord? {
        try await database.queryFirst(
            """
            SELECT t.session_id, s.user_id, t.used_at, s.last_used_at, s.expires_at, s.revoked_at, s.scopes
            FROM auth_refresh_token t JOIN auth_session s ON s.id = t.session_id
            WHERE t.token_hash = \(hash)
            """, as: RefreshRecord.self)
    }

    /// Marks a refresh token used; `false` when another request used it first.
    func markUsed(hash: String, now: Date, on database: some Queryable) async throws -> Bool {
        try await database.execute("UPDATE auth_refresh_token SET used_at = \(now) WHERE token_hash = \(hash) AND used_at IS NULL") > 0
    }

    func touch(session: UUID, now: Date, on database: some Queryable) async throws {
        try await database.execute("UPDATE auth_session SET last_used_at = \(now) WHERE id = \(session)")
    }

    /// Revokes one session; `false` when it was revoked already (or never existed).
    @discardableResult
    func revoke(session: UUID, now: Date, on database: some Queryable) async throws -> Bool {
        try await database.execute("UPDATE auth_session SET revoked_at = \(now) WHERE id = \(session) AND revoked_at IS NULL") > 0
    }

    /// Revokes every live session of a user but `kept`; how many it revoked.
    @discardableResult
    func revokeAll(user: UUID, except kept: UUID?, now: Date, on database: some Queryable) async throws -> Int {
        if let kept {
            return try await database.execute(
                "UPDATE auth_session SET revoked_at = \(now) WHERE user_id = \(user) AND revoked_at IS NULL AND id <> \(kept)")
        }
        return try await database.execute("UPDATE auth_session SET revoked_at = \(now) WHERE user_id = \(user) AND revoked_at IS NULL")
    }

    /// The sessions of a user that are neither revoked nor past their absolute expiry.
    func liveSessions(user: UUID, now: Date) -> Statement<[UUID]> {
        .rows("SELECT id " + Self.live(of: "\(user)", now: now), as: UUID.self)
    }

    /// The column of ``LiveSessionsColumn``: on PostgreSQL an array (the cheaper of the two there,
    /// as fast as a join), on SQLite, which has none, a comma-separated list.
    func liveSessionsColumn(of userID: SQL, dialect: SQLDialect, now: Date) -> LiveSessionsColumn {
        let live = Self.live(of: userID, now: now)
        let column: SQL =
            switch dialect {
            case .postgres: "ARRAY(SELECT id " + live + ")"
            case .sqlite: "(SELECT group_concat(id, ',') " + live + ")"
            }
        return LiveSessionsColumn(column: column + " AS live_session_ids")
    }

    /// What makes a session live, in one place: the sessions of `userID` (a value or another
    /// statement's column) neither revoked nor past their absolute expiry.
    private static func live(of userID: SQL, now: Date) -> SQL {
        "FROM auth_session WHERE user_id = \(userID) AND revoked_at IS NULL AND expires_at > \(now)"
    }

    /// Deletes the sessions that ended before `cutoff`, with their refresh tokens; how many.
    func deleteEnded(before cutoff: Date, on database: some Queryable) async throws -> Int {
        try await database.execute("DELETE FROM auth_session WHERE expires_at < \(cutoff) OR revoked_at < \(cutoff)")
    }
}
