import Hummingbird
import Logging
import ServiceLifecycle
import TernAPI
import TernDatabase
import UnixSignals

/// Starts the HTTP service: waits for the database, creates the first superuser if missing, then
/// serves until SIGTERM or SIGINT, letting in-flight requests finish and closing the pool last.
public enum Server {
    public static func run(settings: Settings, logger: Logger) async throws {
        let services = await AppServices.make(settings: settings, logger: logger)
        do {
            try await services.database.waitUntilReachable(timeout: settings.databaseStartupTimeout)
            try await InitialData.createFirstSuperuser(services: services, logger: logger)
        } catch {
            await services.database.close()
            throw error
        }
        let application = try buildApplication(services: services, logger: logger)
        logger.info(
            "serving",
            metadata: [
                "address": "http://\(settings.host):\(settings.port)", "database": "\(settings.database.url.redacted)",
                "environment": "\(settings.environment.rawValue)", "docs": "http://\(settings.host):\(settings.port)/docs",
            ])
        try await application.runService(gracefulShutdownSignals: [.sigterm, .sigint])
    }

    /// The OpenAPI document, as `api openapi` prints it.
    public static func openAPIDocument(settings: Settings, logger: Logger) async throws -> String {
        let services = await AppServices.make(settings: settings, logger: logger)
        defer { Task { await services.database.close() } }
        return String(decoding: try AppAPI.make(services: services).openAPIJSON(prettyPrinted: true), as: UTF8.self)
    }
}
