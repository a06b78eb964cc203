import Hummingbird
import Logging
import TernDatabase

/// Assembles the HTTP application from its settings and its dependencies.
///
/// Tests call this with test settings and a test database, then drive the result in-process.
public func buildApplication(
    settings: Settings, database: Database, logger: Logger
) -> some ApplicationProtocol {
    let router = Router()
    UtilsRouter(database: database).register(on: router.group(RouterPath(settings.apiPrefix + "/utils")))
    var application = Application(
        router: router,
        configuration: .init(address: .hostname(settings.host, port: settings.port)),
        logger: logger)
    // Services stop in reverse order: the HTTP server first, then the database it uses.
    application.addServices(database)
    return application
}
