import Hummingbird
import Logging
import TernAPI
import TernDatabase

/// Assembles the HTTP application from its shared parts: the server's limits, CORS, the API (routes,
/// errors, docs) and the database as a service that closes after the server stops.
///
/// Tests call this with test services (a test database, a recording mailer) and `overrides`, then
/// drive the result in-process.
public func buildApplication(
    services: AppServices, overrides: DependencyOverrides = DependencyOverrides(), logger: Logger
) throws -> some ApplicationProtocol {
    let settings = services.settings
    let router = Router(context: APIRequestContext.self)
    router.add(middleware: APICORSMiddleware(allowedOrigins: try CORSAllowList(settings.allowedOrigins)))
    router.add(middleware: ConcurrentRequestLimitMiddleware(maxConcurrentRequests: settings.httpLimits.maxConcurrentRequests))
    try AppAPI.make(services: services, overrides: overrides).install(on: router)
    var application = Application(
        router: router,
        server: .http1(limits: settings.httpLimits),
        configuration: .init(address: .hostname(settings.host, port: settings.port), serverName: nil),
        logger: logger)
    // Services stop in reverse order: the HTTP server first, then the database and Redis it uses.
    application.addServices(services.database)
    if let redis = services.redis { application.addServices(redis) }
    return application
}
