import Hummingbird
import HummingbirdCore
import Logging
import TernAPI
import TernAPIDatabase
import TernDatabase

/// Assembles the HTTP application from its shared parts: the server's limits, request ids, the
/// access log, server timings and the metrics, allowed hosts, the HTTPS redirect, security headers, compression, CORS, the API
/// (routes, errors, docs), static files, and the services that run beside it: the database and Redis, which close
/// after the server stops, the outbox relay, and the embedded worker when `WORKER_EMBEDDED` is set.
///
/// Tests call this with test services (a test database, a recording mailer) and `overrides`, then
/// drive the result in-process.
public func buildApplication(
    services: AppServices, overrides: DependencyOverrides = DependencyOverrides(), logger: Logger
) throws -> some ApplicationProtocol {
    let settings = services.settings
    let router = Router(context: APIRequestContext.self)
    // First, so that every line logged while serving a request carries its id.
    router.add(middleware: RequestIDMiddleware())
    // `token` query parameters (a WebSocket's, a link's) stay out of the spans.
    if services.traceExporter != nil { router.add(middleware: TracingMiddleware(redactingQueryParameters: ["token"])) }
    if settings.accessLog { router.add(middleware: AccessLogMiddleware()) }
    if settings.serverTiming { router.add(middleware: ServerTimingMiddleware()) }
    if let metrics = services.metrics {
        router.add(middleware: HTTPMetricsMiddleware())
        metrics.install(on: router, services: services)
    }
    if settings.allowedHosts != ["*"] { router.add(middleware: TrustedHostMiddleware(allowedHosts: settings.allowedHosts)) }
    // After the host check: the redirect names the request's host.
    if settings.httpsRedirect { router.add(middleware: HTTPSRedirectMiddleware()) }
    if settings.securityHeaders {
        router.add(middleware: SecurityHeadersMiddleware(hstsMaxAge: settings.hstsSeconds > 0 ? settings.hstsSeconds : nil))
    }
    if settings.gzipMinimumSize > 0 { router.add(middleware: ResponseCompressionMiddleware(minimumSize: settings.gzipMinimumSize)) }
    router.add(middleware: APICORSMiddleware(allowedOrigins: try CORSAllowList(settings.allowedOrigins)))
    router.add(middleware: ConcurrentRequestLimitMiddleware(maxConcurrentRequests: settings.httpLimits.maxConcurrentRequests))
    let api = AppAPI.make(services: services, overrides: overrides)
    try api.install(on: router)
    if let folder = settings.staticFilesDirectory { router.mount(StaticFiles(directory: folder), at: "/static") }
    // Upgrade requests have a router of their own, so plain requests never try WebSocket routes.
    let webSocketRouter = Router(context: APIWebSocketRequestContext.self)
    api.installWebSockets(on: webSocketRouter)
    var application = Application(
        router: router, server: try server(settings, webSocketRouter: webSocketRouter),
        configuration: .init(address: .hostname(settings.host, port: settings.port), serverName: nil),
        logger: logger)
    // Services stop in reverse order: the HTTP server first, then the worker (which finishes its
    // running jobs) and the outbox relay, then the database and Redis they all use.
    // The trace exporter and the error reporter stop last, to send what everything else recorded.
    if let traceExporter = services.traceExporter { application.addServices(traceExporter) }
    if let errorReporter = services.errorReporter { application.addServices(errorReporter) }
    application.addServices(services.database)
    if let redis = services.redis { application.addServices(redis) }
    if let broadcaster = services.redisBroadcaster { application.addServices(broadcaster) }
    for service in services.jobServices(includingWorker: settings.jobs.embeddedWorker, logger: logger) {
        application.addServices(service)
    }
    return application
}

/// The server the settings ask for: HTTPS with HTTP/2 (`TLS_CERT_FILE`), cleartext HTTP/2
/// (`HTTP2_CLEARTEXT`), or, by default, cleartext HTTP/1.1 with its limits and WebSocket upgrades.
private func server(_ settings: Settings, webSocketRouter: Router<APIWebSocketRequestContext>) throws -> HTTPServerBuilder {
    if let tls = settings.tls { return try .https(tls, idleTimeout: settings.httpLimits.idleTimeout) }
    if settings.http2Cleartext { return .cleartextHTTP2(idleTimeout: settings.httpLimits.idleTimeout) }
    return .http1WebSocketUpgrade(limits: settings.httpLimits, webSocketRouter: webSocketRouter, webSocket: settings.webSocketLimits)
}
