import Logging
import ServiceLifecycle
import TernDatabase
import TernJobs
import TernPrimitives
import UnixSignals

/// `worker run`: waits for the database, checks its migrations, then runs jobs until SIGTERM or
/// SIGINT: stops claiming, lets running jobs finish for up to `WORKER_SHUTDOWN_TIMEOUT`, and closes
/// the database and Redis last. With `WORKER_METRICS_PORT`, it serves `GET /metrics` meanwhile.
public enum WorkerProcess {
    public static func run(settings: Settings, logger: Logger) async throws {
        let metricsPort = settings.metricsEnabled ? settings.jobs.workerMetricsPort : nil
        // Before the services: metrics made before the bootstrap go nowhere.
        let metrics = metricsPort.map { _ in PrometheusMetrics.bootstrap() }
        let services = try await AppServices.make(settings: settings, metrics: metrics, logger: logger)
        do {
            try await services.database.waitUntilReachable(timeout: settings.databaseStartupTimeout)
            try await Server.checkMigrations(settings: settings, database: services.database, logger: logger)
        } catch {
            await services.close()
            throw error
        }
        logger.info(
            "worker starting",
            metadata: [
                "database": "\(settings.database.url.redacted)", "jobs": "\(settings.jobs.backend.rawValue)",
                "concurrency": "\(settings.jobs.workerConcurrency)",
            ])
        // Services stop in reverse order: the worker first, then the relay, then Redis and the database.
        var group: [any Service] = [services.database]
        if let redis = services.redis { group.append(redis) }
        group += services.jobServices(includingWorker: true, logger: logger)
        if let metrics, let metricsPort {
            group.append(metrics.server(host: settings.host, port: metricsPort, services: services, logger: logger))
        }
        let serviceGroup = ServiceGroup(
            configuration: ServiceGroupConfiguration(
                services: group.map { ServiceGroupConfiguration.ServiceConfiguration(service: $0) },
                gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        // What starting up built and dropped goes back to the system before the first job.
        FreeHeapPages.release()
        try await serviceGroup.run()
    }

    /// The inspection and repair tools of `worker jobs ...`, on the configured backend.
    public static func withJobs<T>(settings: Settings, logger: Logger, _ body: (any JobBackend) async throws -> T) async throws -> T {
        let services = try await AppServices.make(settings: settings, logger: logger)
        do {
            let result = try await body(services.jobs.backend)
            await services.close()
            return result
        } catch {
            await services.close()
            throw error
        }
    }
}
