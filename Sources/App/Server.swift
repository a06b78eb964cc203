import Hummingbird
import Logging
import ServiceLifecycle
import TernDatabase
import UnixSignals

/// Starts the HTTP service: waits for the database, then serves until SIGTERM or SIGINT, letting
/// in-flight requests finish and closing the connection pool last.
public enum Server {
    public static func run(settings: Settings, logger: Logger) async throws {
        let database = Database(settings.database, logger: logger)
        do {
            try await database.waitUntilReachable(timeout: settings.databaseStartupTimeout)
        } catch {
            await database.close()
            throw error
        }
        let application = buildApplication(settings: settings, database: database, logger: logger)
        logger.info(
            "serving",
            metadata: [
                "address": "http://\(settings.host):\(settings.port)", "database": "\(settings.database.url.redacted)",
                "environment": "\(settings.environment.rawValue)",
            ])
        try await application.runService(gracefulShutdownSignals: [.sigterm, .sigint])
    }
}
