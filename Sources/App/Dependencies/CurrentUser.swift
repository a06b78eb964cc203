import Foundation
import TernAPI
import TernAPIDatabase
import TernAuth
import TernCache
import TernDatabase
import TernPrimitives

/// The user the request's bearer token belongs to (the reference template's `CurrentUser`).
///
/// Fails as the contract's authentication ladder says: no bearer token → 401 (from
/// ``OAuth2PasswordBearer``), a token that does not verify → 403, no such user → 404, an inactive
/// user → 400.
struct CurrentUser: Dependency {
    let user: User

    @Input
    struct Needs {
        @Depends var bearer: OAuth2PasswordBearer
        @Depends var app: AppServices
        // Read outside the request's unit of work, so that a write request opens its transaction
        // (on SQLite, takes the writer) only when it starts writing.
        @Depends var database: Database
    }

    static let errors: [any APIErrorConvertible] = [AuthError.invalidAccessToken, UserError.notFound, UserError.inactive]

    static func resolve(_ needs: Needs, in scope: RequestScope) async throws -> CurrentUser {
        CurrentUser(user: try await user(bearing: needs.bearer.token, app: needs.app, database: needs.database))
    }

    /// The active user an access token names, wherever the token came from (the jobs dashboard
    /// keeps it in a cookie); fails as ``CurrentUser`` does.
    static func user(bearing token: String, app: AppServices, database: Database) async throws -> User {
        let subject: String
        do {
            subject = try await app.tokens.verify(token, as: .access).subject
        } catch {
            throw AuthError.invalidAccessToken
        }
        guard let id = UUID(canonical: subject), let user = try await find(id, app: app, database: database) else {
            throw UserError.notFound
        }
        guard user.isActive else { throw UserError.inactive }
        return user
    }

    /// Through the cache: every authenticated request asks, and users change rarely (each change
    /// invalidates the entry once committed).
    private static func find(_ id: UUID, app: AppServices, database: Database) async throws -> User? {
        try await app.cache.value(for: CacheKeys.user(id), lifetime: app.settings.cacheLifetime) {
            try await UserRepository().find(id: id, on: database).map(UserPublic.init)
        }.map(User.init)
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
