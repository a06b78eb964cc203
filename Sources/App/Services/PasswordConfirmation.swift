import Foundation
import Logging
import TernAuth
import TernDatabase

/// Asks a signed-in user for their password again before something a stolen access token must not
/// do alone: make an API key, set up a second factor. Wrong passwords count as
/// failed logins of the account, so a stolen token cannot guess its way through.
struct PasswordConfirmation: Sendable {
    let database: Database
    let users: UserRepository
    let hasher: PasswordHasher
    let throttle: LoginThrottle
    let logger: Logger

    /// Throws ``UserError/incorrectPassword`` unless `password` is the user's.
    func confirm(_ password: String, of user: User) async throws {
        try await throttle.check(email: user.email, logger: logger)
        guard let hashedPassword = try await users.passwordHash(id: user.id, on: database) else { throw UserError.notFound }
        guard try await hasher.verify(password, against: hashedPassword) != .invalid else {
            try await throttle.recordFailure(email: user.email, logger: logger)
            throw UserError.incorrectPassword
        }
    }
}
