import Foundation
import Hummingbird
import Logging
import ServiceLifecycle
import TernAPI
import TernDatabase
import TernMigrations
import TernPrimitives
import TernRedis
import UnixSignals

/// Starts the HTTP service: waits for the database, creates the first superuser if missing, then
/// serves until SIGTERM or SIGINT, letting in-flight requests finish and closing the pool last.
public enum Server {
    public static func run(settings: Settings, logger: Logger) async throws {
        raiseOpenFileLimit(settings: settings, logger: logger)
        let metrics = settings.metricsEnabled ? PrometheusMetrics.bootstrap() : nil
        let traceExporter = try OpenTelemetryTracing.bootstrap(settings: settings, serviceName: "tern-api")
        let services = try await AppServices.make(settings: settings, metrics: metrics, traceExporter: traceExporter, logger: logger)
        let application: any ApplicationProtocol
        do {
            try await services.database.waitUntilReachable(timeout: settings.databaseStartupTimeout)
            try await checkMigrations(settings: settings, database: services.database, logger: logger)
            try await InitialData.createFirstSuperuser(services: services, logger: logger)
            application = try buildApplication(services: services, logger: logger)
        } catch {
            await services.close()
            throw error
        }
        // What starting up built and dropped goes back to the system before the first request.
        FreeHeapPages.release()
        logger.info(
            "serving",
            metadata: [
                "address": "\(settings.tls == nil ? "http" : "https")://\(settings.host):\(settings.port)",
                "database": "\(settings.database.url.redacted)",
                "redis": "\(settings.redis?.redactedURL ?? "none: cache and rate limits in this process only")",
                "environment": "\(settings.environment.rawValue)",
                "docs": "\(settings.tls == nil ? "http" : "https")://\(settings.host):\(settings.port)/docs",
                "jobs": "\(settings.jobs.backend.rawValue)\(settings.jobs.embeddedWorker ? ", with a worker in this process" : "")",
            ])
        try await application.runService(gracefulShutdownSignals: [.sigterm, .sigint])
    }

    /// Refuses to serve a database that misses migrations (every query would fail) and warns about
    /// applied migrations whose file was edited or removed since; without the migrations folder,
    /// the check is skipped with a warning.
    static func checkMigrations(settings: Settings, database: Database, logger: Logger) async throws {
        let migrator = Migrator(database: database, directory: MigrationDirectory(path: settings.migrationsDirectory), logger: logger)
        let statuses: [MigrationStatus]
        do {
            statuses = try await migrator.status()
        } catch let error as MigrationError {
            logger.warning("migrations not checked", metadata: ["reason": "\(error)"])
            return
        }
        for status in statuses {
            switch status.state {
            case .edited:
                logger.warning("applied migration was edited since", metadata: ["migration": "\(status.id)"])
            case .fileMissing:
                logger.warning("applied migration has no file any more", metadata: ["migration": "\(status.id)"])
            case .applied, .pending:
                break
            }
        }
        let pending = statuses.filter { $0.state == .pending }.map(\.id)
        guard pending.isEmpty else { throw PendingMigrations(ids: pending) }
    }

    /// `RLIMIT_NOFILE`, which Glibc imports as an enum case and Darwin as a number.
    #if os(Linux)
    private static let openFilesResource = Int32(RLIMIT_NOFILE.rawValue)
    #else
    private static let openFilesResource = RLIMIT_NOFILE
    #endif

    /// Lets the server hold as many connections as `HTTP_MAX_CONNECTIONS` allows: the soft limit on
    /// open files is often 1024, far below it, while the hard limit is usually high enough.
    private static func raiseOpenFileLimit(settings: Settings, logger: Logger) {
        var limit = rlimit()
        guard getrlimit(openFilesResource, &limit) == 0 else { return }
        if limit.rlim_cur < limit.rlim_max {
            limit.rlim_cur = limit.rlim_max
            _ = setrlimit(openFilesResource, &limit)
            _ = getrlimit(openFilesResource, &limit)
        }
        // Connections, the database pool, and some to spare for files and the listening socket.
        let needed = settings.httpLimits.maxConnections + settings.database.maxConnections + 64
        if limit.rlim_cur < needed {
            logger.warning(
                "the limit on open files is below what HTTP_MAX_CONNECTIONS needs; lower it or raise the limit (ulimit -n)",
                metadata: ["open_files_limit": "\(limit.rlim_cur)", "needed": "\(needed)"])
        }
    }

    /// The OpenAPI document, as `api openapi` prints it. The services are built (the document shows
    /// configured values) but never used: no database connection opens.
    public static func openAPIDocument(
        settings: Settings, logger: Logger, nullStyle: OpenAPINullStyle = .anyOf
    ) async throws -> String {
        try await describeAPI(settings: settings, logger: logger) {
            String(decoding: try $0.openAPIJSON(prettyPrinted: true, nullStyle: nullStyle), as: UTF8.self)
        }
    }

    /// Every route with its dependencies, security and rate limits (`api routes`): a table, or JSON.
    public static func routes(settings: Settings, logger: Logger, json: Bool) async throws -> String {
        try await describeAPI(settings: settings, logger: logger) { api in
            guard json else { return api.routesTable() }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            return String(decoding: try encoder.encode(api.routeSummaries), as: UTF8.self)
        }
    }

    /// Builds the API as `serve` would, without serving it, for the commands that describe it.
    private static func describeAPI(
        settings: Settings, logger: Logger, _ describe: (TypedAPI<AppServices>) throws -> String
    ) async throws -> String {
        let services = try await AppServices.make(settings: settings, logger: logger)
        let description = Result { try describe(AppAPI.make(services: services)) }
        await services.close()
        return try description.get()
    }
}

/// The database misses migrations.
struct PendingMigrations: Error, CustomStringConvertible {
    let ids: [String]
    var description: String {
        "the database is not up to date: \(ids.count) pending migration\(ids.count == 1 ? "" : "s") (\(ids.joined(separator: ", "))); run `api migrate` first"
    }
}
