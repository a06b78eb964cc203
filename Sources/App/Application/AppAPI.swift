import TernAPI
import TernAuth
import TernDatabase

/// The HTTP API of the sample domain: its routers under `API_V1_STR`, the security scheme of the
/// OAuth2 password flow, and the application's services dependencies are built from.
///
/// The same definition serves requests and prints the document (`api openapi`).
enum AppAPI {
    /// The API serving requests with `services`.
    static func make(services: AppServices, overrides: DependencyOverrides = DependencyOverrides()) -> API {
        var api = make(settings: services.settings)
        api.shared.set(services)
        api.shared.set(services.database)  // for the database building block's dependencies
        api.overrides = overrides
        return api
    }

    /// The operations, documents and error mapping alone: enough to print the OpenAPI document
    /// without opening the database.
    static func make(settings: Settings) -> API {
        var api = API(title: settings.projectName, version: "0.1.0", prefix: settings.apiPrefix)
        api.shared.set(settings)  // the document shows configured bounds (PAGINATION_MAX_LIMIT)
        api.securitySchemes[OAuth2PasswordBearer.schemeName] = .oauth2Password(tokenURL: "\(settings.apiPrefix)/login/access-token")
        api.include(LoginRouter())
        api.include(UsersRouter())
        api.include(UtilsRouter())
        api.include(ItemsRouter())
        if settings.environment == .development {
            api.include(PrivateRouter())
        }
        api.maxBodySize = settings.maxBodySize
        api.docs.swaggerUIJavaScriptURL = settings.swaggerUIJavaScriptURL
        api.docs.swaggerUICSSURL = settings.swaggerUICSSURL
        api.docs.redocJavaScriptURL = settings.redocJavaScriptURL
        return api
    }
}
