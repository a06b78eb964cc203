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
    let corsAllowList = try CORSAllowList(settings.allowedOrigins)
    // Each stack is one middleware whose type the compiler knows (Hummingbird's result builder,
    // behind one closure: `MiddlewareStack`): a request goes through its specialized code, without
    // a closure call per layer.
    let observation = MiddlewareStack<APIRequestContext> {
        // First, so that every line logged while serving a request carries its id.
        RequestIDMiddleware()
        // `token` query parameters (a WebSocket's, a link's) stay out of the spans.
        if services.traceExporter != nil { TracingMiddleware(redactingQueryParameters: ["token"]) }
        if settings.accessLog { AccessLogMiddleware() }
        if settings.serverTiming { ServerTimingMiddleware() }
        if services.metrics != nil { HTTPMetricsMiddleware() }
    }
    router.add(middleware: observation)
    // Registered between the two stacks, `/metrics` has ids, the access log and its own counts, and
    // none of the second stack's checks and headers: a scraper names the server by its address.
    services.metrics?.install(on: router, services: services)
    let checksAndHeaders = MiddlewareStack<APIRequestContext> {
        if settings.allowedHosts != ["*"] { TrustedHostMiddleware(allowedHosts: settings.allowedHosts) }
        // After the host check: the redirect names the request's host.
        if settings.httpsRedirect { HTTPSRedirectMiddleware() }
        if settings.securityHeaders { SecurityHeadersMiddleware(hstsMaxAge: settings.hstsSeconds > 0 ? settings.hstsSeconds : nil) }
        if settings.gzipMinimumSize > 0 { ResponseCompressionMiddleware(minimumSize: settings.gzipMinimumSize) }
        APICORSMiddleware(allowedOrigins: corsAllowList)
        ConcurrentRequestLimitMiddleware(maxConcurrentRequests: settings.httpLimits.maxConcurrentRequests)
    }
    router.add(middleware: checksAndHeaders)
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
