import Hummingbird
import Logging
import Metrics
import NIOCore
import Prometheus
import ServiceLifecycle
import TernAuth
import TernDatabase

/// The process's metrics for Prometheus (`METRICS_ENABLED`): swift-metrics bootstrapped with a
/// registry, which `GET /metrics` writes in Prometheus's text format. Everything the process
/// records through swift-metrics is there: requests (``HTTPMetricsMiddleware``), jobs, outages, and
/// the gauges of the connection pools and the password hasher.
public struct PrometheusMetrics: Sendable {
    public let registry: PrometheusCollectorRegistry

    /// Bootstraps swift-metrics with a new registry. swift-metrics takes one backend per process,
    /// once, and metrics made before it go nowhere: the executable calls this first thing.
    public static func bootstrap() -> PrometheusMetrics {
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        return PrometheusMetrics(registry: registry)
    }

    /// Serves the registry at `GET /metrics`, outside the API's prefix and its document. Gauges of
    /// what `services` are doing (the pool, password hashing) are read then, at each scrape, so
    /// that no query or hash pays for them.
    func install(on router: Router<some RequestContext>, services: AppServices) {
        router.get("/metrics") { _, _ in
            Self.recordGauges(of: services)
            return Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8", .cacheControl: "no-store"],
                body: .init(byteBuffer: ByteBuffer(bytes: registry.emitToBuffer())))
        }
    }

    /// A server of `GET /metrics` alone, for a process without the API (`worker run`); the first to
    /// stop when it runs last in a service group.
    func server(host: String, port: Int, services: AppServices, logger: Logger) -> some Service {
        let router = Router()
        install(on: router, services: services)
        return Application(router: router, configuration: .init(address: .hostname(host, port: port), serverName: nil), logger: logger)
    }

    /// `tern_db_pool_connections{pool, state="in_use"|"idle"}`, `tern_db_pool_waiting{pool}`,
    /// `tern_db_pool_max_connections{pool}`, and `tern_password_hashes{state="running"|"queued"}`.
    private static func recordGauges(of services: AppServices) {
        for pool in services.database.poolStatistics {
            let name = ("pool", pool.pool)
            Gauge(label: "tern_db_pool_connections", dimensions: [name, ("state", "in_use")]).record(pool.inUse)
            Gauge(label: "tern_db_pool_connections", dimensions: [name, ("state", "idle")]).record(pool.idle)
            Gauge(label: "tern_db_pool_waiting", dimensions: [name]).record(pool.waiting)
            Gauge(label: "tern_db_pool_max_connections", dimensions: [name]).record(pool.maxConnections)
        }
        let hashing = services.passwordHasher.statistics
        Gauge(label: "tern_password_hashes", dimensions: [("state", "running")]).record(hashing.running)
        Gauge(label: "tern_password_hashes", dimensions: [("state", "queued")]).record(hashing.queued)
    }
}
