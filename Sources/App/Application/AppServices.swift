import Logging
import TernAuth
import TernDatabase

/// The application-wide parts requests are served with, built once at start and shared: settings,
/// the database, the password hasher, the token service and the mailer.
///
/// Tests build one with a test database, a fake mailer, or cheaper hashing, and pass it to
/// ``buildApplication(services:overrides:logger:)``.
public struct AppServices: Sendable {
    public var settings: Settings
    public var database: Database
    public var passwordHasher: PasswordHasher
    public var tokens: TokenService
    var mailer: any Mailer

    /// The production parts for `settings`.
    public static func make(settings: Settings, logger: Logger) async -> AppServices {
        await AppServices(
            settings: settings,
            database: Database(settings.database, logger: logger),
            passwordHasher: PasswordHasher(parameters: settings.passwordHashParameters, limits: settings.passwordHashLimits),
            tokens: TokenService(secret: settings.secretKey, accessTokenLifetime: .seconds(settings.accessTokenExpireMinutes * 60)),
            mailer: mailer(for: settings, logger: logger))
    }

    /// No SMTP transport ships with the template; in development, emails go to the outbox folder.
    static func mailer(for settings: Settings, logger: Logger) -> any Mailer {
        if settings.email.smtpHost != nil {
            logger.warning("SMTP_HOST is set, but this template has no SMTP transport yet: emails are not sent")
        }
        if settings.environment == .development, let folder = settings.email.outboxFolder {
            return OutboxMailer(folder: folder)
        }
        return UnconfiguredMailer()
    }
}
