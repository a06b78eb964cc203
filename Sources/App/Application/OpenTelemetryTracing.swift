import OTel
import ServiceLifecycle

/// Traces for an OpenTelemetry collector, off unless `OTEL_EXPORTER_OTLP_ENDPOINT` is set: a span
/// per request (Hummingbird's `TracingMiddleware`, named by its route), with a span per SQL
/// statement and per Redis round trip inside it, sent over OTLP/HTTP in batches. The standard
/// `OTEL_*` variables configure the rest: `OTEL_SERVICE_NAME`, `OTEL_EXPORTER_OTLP_PROTOCOL`
/// (`http/protobuf`, or `http/json`), `OTEL_TRACES_SAMPLER`, `OTEL_BSP_SCHEDULE_DELAY`...
enum OpenTelemetryTracing {
    /// Bootstraps the process's tracer (once per process, as swift-distributed-tracing allows) and
    /// returns the service that exports its spans, to run until the server has stopped; `nil` when
    /// tracing is off. Metrics stay Prometheus's and logs swift-log's.
    static func bootstrap(settings: Settings, serviceName: String) throws -> (any Service)? {
        guard settings.otlpEndpoint != nil else { return nil }
        var configuration = OTel.Configuration.default
        configuration.serviceName = serviceName
        configuration.metrics.enabled = false
        configuration.logs.enabled = false
        return try OTel.bootstrap(configuration: configuration)
    }
}
