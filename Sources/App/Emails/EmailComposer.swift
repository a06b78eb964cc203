import Foundation
import TernAuth

/// Writes the service's emails: fills the templates, and mints the reset token of a recovery email
/// when the email is written (by the worker, just before sending), so no token waits in the queue.
struct EmailComposer: Sendable {
    let templates: EmailTemplates
    let tokens: TokenService
    /// The web app's address, which the emails' links point into (`FRONTEND_HOST`).
    let frontendHost: String
    /// How long a recovery link works (`EMAIL_RESET_TOKEN_EXPIRE_HOURS`).
    let resetTokenExpireHours: Int
    /// How long a verification link works (`EMAIL_VERIFY_TOKEN_EXPIRE_HOURS`).
    let verifyTokenExpireHours: Int

    /// The recovery email, whose token is stamped with the password hash it replaces: it works once,
    /// and not at all once the password changed by any route.
    func passwordRecovery(to email: String, passwordHash: String) async throws -> OutgoingEmail {
        let hours = resetTokenExpireHours
        let token = try await tokens.issue(
            .passwordReset, subject: email, lifetime: .seconds(hours * 3600), stamp: tokens.stamp(of: passwordHash)
        ).text
        let link = "\(frontendHost)/reset-password?token=\(token)"
        return outgoing(email, templates.passwordRecovery(email: email, link: link, validHours: hours))
    }

    /// The verification email of a new account (or a changed address), whose token is stamped with
    /// the address it confirms: it confirms nothing once the address changed.
    func emailVerification(to user: User) async throws -> OutgoingEmail {
        let hours = verifyTokenExpireHours
        let token = try await tokens.issue(
            .emailVerification, subject: user.id.uuidString.lowercased(), lifetime: .seconds(hours * 3600),
            stamp: tokens.stamp(of: user.email.lowercased())
        ).text
        let link = "\(frontendHost)/verify-email?token=\(token)"
        return outgoing(user.email, templates.emailVerification(email: user.email, link: link, validHours: hours))
    }

    func newAccount(to email: String) -> OutgoingEmail {
        outgoing(email, templates.newAccount(email: email, link: frontendHost))
    }

    func test(to email: String) -> OutgoingEmail {
        outgoing(email, templates.test(email: email))
    }

    private func outgoing(_ address: String, _ rendered: EmailTemplates.Rendered) -> OutgoingEmail {
        OutgoingEmail(to: address, subject: rendered.subject, html: rendered.html, text: rendered.text)
    }
}
