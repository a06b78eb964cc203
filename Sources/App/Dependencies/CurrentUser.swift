import Foundation
import TernAPI
import TernAPIDatabase
import TernAuth
import TernCache
import TernDatabase
import TernPrimitives

/// The user the request's bearer token belongs to (the reference template's `CurrentUser`), the
/// session the token was issued in, and the scopes it grants: those of the user's role, or fewer if
/// the login asked for fewer.
///
/// Fails as the contract's authentication ladder says: no bearer token → 401 (from
/// ``OAuth2PasswordBearer``), a token that does not verify, or whose session ended → 403, no such
/// user → 404, an inactive user → 400.
struct CurrentUser: Dependency {
    let user: User
    /// The session of the access token; `nil` for a token issued before sessions (accepted until it
    /// expires).
    let session: UUID?
    /// What the request may do.
    let scopes: [Scope]

    @Input
    struct Needs {
        @Depends var bearer: OAuth2PasswordBearer
        @Depends var app: AppServices
        // Read outside the request's unit of work, so that a write request opens its transaction
        // (on SQLite, takes the writer) only when it starts writing.
        @Depends var database: Database
        @Depends var readAhead: ReadAhead
    }

    static let errors: [any APIErrorConvertible] = [AuthError.invalidAccessToken, UserError.notFound, UserError.inactive]

    static func resolve(_ needs: Needs, in scope: RequestScope) async throws -> CurrentUser {
        let current = try await bearing(needs.bearer.token, app: needs.app, database: needs.database, readAhead: needs.readAhead)
        scope.grant(Set(current.scopes.map(\.name)), challenge: "Bearer")
        return current
    }

    /// Whether the request was granted `scope`.
    func may(_ scope: Scope) -> Bool {
        scopes.contains(scope)
    }

    /// The active user an access token names, wherever the token came from (the jobs dashboard
    /// keeps it in a cookie); fails as ``CurrentUser`` does. What waits in `readAhead` travels with
    /// the user's lookup.
    static func bearing(
        _ token: String, app: AppServices, database: Database, readAhead: ReadAhead = ReadAhead()
    ) async throws -> CurrentUser {
        guard let access = try? await app.tokens.verify(token, as: .access) else { throw AuthError.invalidAccessToken }
        guard let id = UUID(canonical: access.subject) else { throw UserError.notFound }
        let session = try access.session.map { text throws(AuthError) in
            guard let session = UUID(canonical: text) else { throw AuthError.invalidAccessToken }
            return session
        }
        guard var account = try await account(id, app: app, database: database, readAhead: readAhead) else { throw UserError.notFound }
        // Before the session: deactivation ends every session, and the contract answers its own 400.
        guard account.user.isActive else { throw UserError.inactive }
        if let session, !account.sessions.contains(session) {
            // Perhaps a session started after the entry was cached: looked up once more, past the cache.
            await app.cache.invalidate([CacheKeys.user(id)])
            guard let fresh = try await self.account(id, app: app, database: database) else { throw UserError.notFound }
            guard fresh.sessions.contains(session) else { throw AuthError.invalidAccessToken }
            account = fresh
        }
        let user = User(account.user)
        return CurrentUser(user: user, session: session, scopes: user.grantedScopes(limitedTo: access.scopes))
    }

    /// Through the cache: every authenticated request asks, and users and their sessions change
    /// rarely (each change invalidates the entry once committed). Past the cache, the user and their
    /// sessions are read in one statement, and what waits in `readAhead` goes with it.
    static func account(
        _ id: UUID, app: AppServices, database: Database, readAhead: ReadAhead = ReadAhead()
    ) async throws -> CachedAccount? {
        try await app.cache.value(for: CacheKeys.user(id), lifetime: app.settings.cacheLifetime) {
            let sessions = app.sessions.liveSessionsColumn(of: #""user".id"#, dialect: database.dialect)
            let found = try await readAhead.query(UserRepository().find(id: id, withSessions: sessions), on: database)
            return found.map { CachedAccount(user: UserPublic($0.user), sessions: $0.sessions) }
        }
    }
}

/// The current user, who must be a superuser (403 otherwise).
struct CurrentSuperuser: Dependency {
    let user: User

    @Input
    struct Needs {
        @Depends var current: CurrentUser
    }

    static let errors: [any APIErrorConvertible] = [UserError.insufficientPrivileges]

    static func resolve(_ needs: Needs, in scope: RequestScope) async throws -> CurrentSuperuser {
        guard needs.current.user.isSuperuser else { throw UserError.insufficientPrivileges }
        return CurrentSuperuser(user: needs.current.user)
    }
}
