import Foundation
import TernAPI
import TernAuth
import TernDatabase

/// The user the request's bearer token belongs to (the reference template's `CurrentUser`).
///
/// Fails as the contract's authentication ladder says: no bearer token → 401 (from
/// ``OAuth2PasswordBearer``), a token that does not verify → 403, no such user → 404, an inactive
/// user → 400.
struct CurrentUser: Dependency {
    let user: User

    static func resolve(in scope: RequestScope) async throws -> CurrentUser {
        let token = try await scope.resolve(OAuth2PasswordBearer.self).token
        let subject: String?
        do {
            subject = try await scope.shared(TokenService.self).verify(token)
        } catch {
            throw AuthError.invalidAccessToken
        }
        // Read outside the request's unit of work, so that a write request opens its transaction
        // (on SQLite, takes the writer) only when it starts writing.
        let database = try await scope.resolve(Database.self)
        guard let subject, let id = UUID(canonical: subject), let user = try await UserRepository().find(id: id, on: database)
        else { throw UserError.notFound }
        guard user.isActive else { throw UserError.inactive }
        return CurrentUser(user: user)
    }

    static var documentedDependencies: [any Dependency.Type] { [OAuth2PasswordBearer.self, Database.self] }
    static var documentedResponses: [Int: String] {
        [400: "Inactive user", 403: "Could not validate credentials", 404: "User not found"]
    }
}

/// The current user, who must be a superuser (403 otherwise).
struct CurrentSuperuser: Dependency {
    let user: User

    static func resolve(in scope: RequestScope) async throws -> CurrentSuperuser {
        let user = try await scope.resolve(CurrentUser.self).user
        guard user.isSuperuser else { throw UserError.insufficientPrivileges }
        return CurrentSuperuser(user: user)
    }

    static var documentedDependencies: [any Dependency.Type] { [CurrentUser.self] }
    static var documentedResponses: [Int: String] { [403: "The user doesn't have enough privileges"] }
}
