import Foundation
import TernAPI
import TernAuth
import TernDatabase

/// The rules of API keys: users create, list and revoke their own. Creating one takes the password
/// again (a stolen token must not make itself a lasting credential), and a key holds at most the
/// scopes of the token that created it, so a narrowed token cannot mint a wider key.
struct APIKeyService: Sendable {
    let database: Database
    let keys: APIKeys
    let password: PasswordConfirmation

    func create(_ input: APIKeyCreate, by current: CurrentUser, now: Date = Date()) async throws -> NewAPIKey {
        let granted = current.scopes.map(\.name)
        let scopes = input.scopes ?? granted
        if let unknown = scopes.first(where: { name in !Scope.all.contains { $0.name == name } }) {
            throw APIKeyError.unknownScope(unknown)
        }
        guard scopes.allSatisfy(granted.contains) else {
            throw InsufficientScope(required: Scope.known(scopes), challenge: "Bearer")
        }
        try await password.confirm(input.currentPassword, of: current.user)
        let expires = input.expiresInDays.map { now.addingTimeInterval(TimeInterval($0) * 86_400) }
        return try await keys.create(for: current.user.id, name: input.name, scopes: Self.ordered(scopes), expires: expires, on: database)
    }

    func list(of user: User) async throws -> [APIKey] {
        try await keys.keys(of: user.id, on: database)
    }

    func revoke(_ id: UUID, of user: User) async throws {
        guard try await keys.revoke(id, of: user.id, on: database) else { throw APIKeyError.notFound }
    }

    /// In the application's order, each once.
    private static func ordered(_ names: [String]) -> [String] {
        Scope.known(names).map(\.name)
    }
}
