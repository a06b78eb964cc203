import Foundation
import TernDatabase
import TernPrimitives

/// Sign-in sessions with rotating refresh tokens (RFC 9700 §4.14): every sign-in starts a session,
/// a family of refresh tokens of which only the newest works. Each refresh uses up its token and
/// issues the next; a token presented again after its grace window is taken for a stolen one, and the
/// whole family is revoked (the thief's tokens and the holder's alike). Access tokens name their
/// session (`sid`), so revoking a session stops them too: see ``liveSessions(of:on:now:)``.
///
/// Refresh tokens are stored as their SHA-256 only. Sessions end at their absolute expiry, after
/// their idle lifetime without a refresh, or when revoked.
public struct Sessions: Sendable {
    public let tokens: TokenService
    public let policy: SessionPolicy
    private let store = SessionStore()

    public init(tokens: TokenService, policy: SessionPolicy) {
        self.tokens = tokens
        self.policy = policy
    }

    /// Starts a session for a user who just proved who they are, its access tokens limited to
    /// `scopes` (`nil`: limited only by what the user may do).
    public func start(user: UUID, scopes: [String]? = nil, on database: Database, now: Date = Date()) async throws -> TokenPair {
        let session = UUID()
        let expires = now.addingTimeInterval(policy.absoluteLifetime / .seconds(1))
        let pair = try await issuePair(user: user, session: session, scopes: scopes, sessionExpires: expires, now: now)
        try await database.transaction { transaction in
            try await store.createSession(id: session, user: user, scopes: scopes, now: now, expires: expires, on: transaction)
            try await store.addRefreshToken(hash: pair.refreshToken.sha256Hex, session: session, now: now, on: transaction)
        }
        return pair
    }

    /// Uses up a refresh token and returns the next pair in its session, for the user it names.
    ///
    /// Throws ``RefreshRefused``: ``RefreshRefused/invalid`` for a token that is not a live refresh
    /// token (bad, expired, unknown, its session ended), ``RefreshRefused/reused(session:user:)`` for one used
    /// before, whose session it has just revoked.
    public func refresh(_ refreshToken: String, on database: Database, now: Date = Date()) async throws -> (user: UUID, pair: TokenPair) {
        guard let claims = try? await tokens.verify(refreshToken, as: .refresh, now: now), let user = UUID(canonical: claims.subject)
        else { throw RefreshRefused.invalid }
        let hash = refreshToken.sha256Hex
        guard let record = try await store.refreshToken(hash: hash, on: database), record.userId == user,
            record.revokedAt == nil, record.expiresAt > now,
            now.timeIntervalSince(record.lastUsedAt) < policy.idleLifetime / .seconds(1)
        else { throw RefreshRefused.invalid }
        if let usedAt = record.usedAt, now.timeIntervalSince(usedAt) > policy.reuseGrace / .seconds(1) {
            try await store.revoke(session: record.sessionId, now: now, on: database)
            throw RefreshRefused.reused(session: record.sessionId, user: user)
        }
        let scopes = record.scopes.map { $0.split(separator: " ").map(String.init) }
        let pair = try await issuePair(user: user, session: record.sessionId, scopes: scopes, sessionExpires: record.expiresAt, now: now)
        try await database.transaction { transaction in
            // Used by a concurrent request meanwhile: within the grace window, as above.
            _ = try await store.markUsed(hash: hash, now: now, on: transaction)
            try await store.addRefreshToken(hash: pair.refreshToken.sha256Hex, session: record.sessionId, now: now, on: transaction)
            try await store.touch(session: record.sessionId, now: now, on: transaction)
        }
        return (user, pair)
    }

    /// Ends one session (logging out); `false` when it had ended already.
    @discardableResult
    public func revoke(_ session: UUID, on database: some Queryable, now: Date = Date()) async throws -> Bool {
        try await store.revoke(session: session, now: now, on: database)
    }

    /// Ends every session of a user, but `kept` (the one that asked, after a password change).
    @discardableResult
    public func revokeAll(of user: UUID, except kept: UUID? = nil, on database: some Queryable, now: Date = Date()) async throws -> Int {
        try await store.revokeAll(user: user, except: kept, now: now, on: database)
    }

    /// The sessions of a user whose access tokens are accepted: neither revoked nor expired.
    public func liveSessions(of user: UUID, on database: some Queryable, now: Date = Date()) async throws -> [UUID] {
        try await database.query(together: liveSessions(of: user, now: now))
    }

    /// The statement of ``liveSessions(of:on:now:)``, to run together with others in one round trip
    /// (`Queryable.query(together:)`).
    public func liveSessions(of user: UUID, now: Date = Date()) -> Statement<[UUID]> {
        store.liveSessions(user: user, now: now)
    }

    /// The live sessions of the user whose id is `userID` (a column of another statement), to read
    /// in that statement, on a database of `dialect`: see ``LiveSessionsColumn``.
    public func liveSessionsColumn(of userID: SQL, dialect: SQLDialect, now: Date = Date()) -> LiveSessionsColumn {
        store.liveSessionsColumn(of: userID, dialect: dialect, now: now)
    }

    /// Deletes the sessions that ended (expired or revoked) before `cutoff`, with their refresh
    /// tokens; how many. Idle sessions are left to their absolute expiry. A periodic job calls it.
    @discardableResult
    public func deleteEnded(before cutoff: Date, on database: some Queryable) async throws -> Int {
        try await store.deleteEnded(before: cutoff, on: database)
    }

    private func issuePair(user: UUID, session: UUID, scopes: [String]?, sessionExpires: Date, now: Date) async throws -> TokenPair {
        let subject = user.uuidString.lowercased()
        let sid = session.uuidString.lowercased()
        let access = try await tokens.accessToken(subject: subject, session: sid, scopes: scopes, now: now)
        let refreshLifetime = Duration.seconds(max(0, sessionExpires.timeIntervalSince(now)))
        let refresh = try await tokens.issue(.refresh, subject: subject, lifetime: refreshLifetime, session: sid, now: now)
        return TokenPair(accessToken: access, refreshToken: refresh.text, refreshExpires: refresh.expires, session: session)
    }
}

/// Why a refresh token was refused.
public enum RefreshRefused: Error, Sendable, Equatable {
    /// Not a live refresh token: malformed, expired, unknown, or its session ended.
    case invalid
    /// Used before, after its grace window: its session (the whole family) is now revoked.
    case reused(session: UUID, user: UUID)
}
