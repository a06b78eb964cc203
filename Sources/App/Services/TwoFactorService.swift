import Foundation
import Logging
import TernAuth
import TernDatabase

/// The rules of second factors: users set up, confirm and remove their own TOTP authenticator.
/// Removing it takes a current code (or a recovery code), and wrong codes count as failed logins
/// of the account, so a stolen session cannot guess its way there.
struct TwoFactorService: Sendable {
    let database: Database
    let twoFactor: TwoFactor
    let throttle: LoginThrottle
    let password: PasswordConfirmation
    /// Names the service in the authenticator app.
    let issuer: String
    let logger: Logger

    /// Setting up takes the password again: with a stolen token alone, someone could lock the owner out.
    func begin(for user: User, currentPassword: String) async throws -> TwoFactor.Enrollment {
        try await password.confirm(currentPassword, of: user)
        do {
            return try await twoFactor.begin(for: user.id, account: user.email, issuer: issuer, on: database)
        } catch TwoFactor.Refusal.alreadyEnabled {
            throw TwoFactorError.alreadyEnabled
        }
    }

    /// The recovery codes, shown once.
    func confirm(for user: User, code: String) async throws -> [String] {
        do {
            return try await twoFactor.confirm(for: user.id, code: code, on: database)
        } catch let refusal as TwoFactor.Refusal {
            throw refusal == .invalidCode ? TwoFactorError.invalidCode : TwoFactorError.notEnrolled
        }
    }

    func disable(for user: User, code: String) async throws {
        guard try await twoFactor.isEnabled(for: user.id, on: database) else { throw TwoFactorError.notEnrolled }
        try await throttle.check(email: user.email, logger: logger)
        guard try await twoFactor.verify(code, for: user.id, on: database) else {
            try await throttle.recordFailure(email: user.email, logger: logger)
            throw TwoFactorError.invalidCode
        }
        try await twoFactor.disable(for: user.id, on: database)
    }
}
