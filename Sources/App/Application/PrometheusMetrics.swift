import Hummingbird
import Metrics
import NIOCore
import Prometheus

/// The process's metrics for Prometheus (`METRICS_ENABLED`): swift-metrics bootstrapped with a
/// registry, which `GET /metrics` writes in Prometheus's text format. Everything the process
/// records through swift-metrics is there: requests (``HTTPMetricsMiddleware``), jobs, outages.
public struct PrometheusMetrics: Sendable {
    public let registry: PrometheusCollectorRegistry

    /// Bootstraps swift-metrics with a new registry. swift-metrics takes one backend per process,
    /// once, and metrics made before it go nowhere: the executable calls this first thing.
    public static func bootstrap() -> PrometheusMetrics {
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        return PrometheusMetrics(registry: registry)
    }

    /// Serves the registry at `GET /metrics`, outside the API's prefix and its document.
    func install(on router: Router<some RequestContext>) {
        router.get("/metrics") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8", .cacheControl: "no-store"],
                body: .init(byteBuffer: ByteBuffer(bytes: registry.emitToBuffer())))
        }
    }
}
