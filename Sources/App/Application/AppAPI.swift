import TernAPI
import TernAPIDatabase
import TernAuth
import TernDatabase
import TernGraphQL

/// The HTTP API of the sample domain: its routers under `API_V1_STR`, the security scheme of the
/// OAuth2 password flow, and the application's services as the context dependencies read.
///
/// The same definition serves requests and prints the document (`api openapi`).
enum AppAPI {
    static func make(services: AppServices, overrides: DependencyOverrides = DependencyOverrides()) -> TypedAPI<AppServices> {
        let settings = services.settings
        var api = TypedAPI(title: settings.projectName, version: "0.1.0", prefix: settings.apiPrefix, context: services)
        api.securitySchemes[OAuth2PasswordBearer.schemeName] = .oauth2Password(
            tokenURL: "\(settings.apiPrefix)/login/access-token", scopes: Scope.all)
        api.securitySchemes[APIKeyHeader.schemeName] = .apiKeyHeader(name: APIKeyHeader.headerName)
        api.securitySchemes[HTTPBasicCredentials.schemeName] = .httpBasic
        api.include(LoginRouter())
        api.include(UsersRouter())
        api.include(APIKeysRouter())
        api.include(TwoFactorRouter())
        api.include(SignInRouter())
        api.include(UtilsRouter())
        api.include(ItemsRouter())
        api.include(AttachmentsRouter(), maxBodySize: settings.maxUploadSize)
        api.include(NotificationsRouter())
        api.include(NotificationsRouter.itemEventsSocket)
        api.include(JobsRouter())
        api.include(JobsDashboardRouter())
        // Routers written by scripts/new-resource are included above this line.
        if settings.environment == .development {
            api.include(PrivateRouter())
        }
        api.errorHandlers.registerDatabaseErrors()
        api.errorHandlers.registerRedisErrors()
        api.errorReporter = services.errorReporter
        var graphQL = AppGraphQL.endpoint(limits: settings.graphQLLimits)
        graphQL.errorHandlers = api.errorHandlers
        graphQL.errorReporter = api.errorReporter
        api.include(
            GraphQLRouter(endpoint: graphQL, page: GraphiQLPage(title: "\(settings.projectName) - GraphiQL", endpoint: "/graphql")),
            underAPIPrefix: false)
        if settings.rateLimits.enabled {
            api.rateLimiting = RateLimiting(
                limiter: services.rateLimiter, defaultRule: .default(tokens: services.tokens), failOpen: settings.rateLimits.failOpen)
        }
        api.trustedProxies = settings.trustedProxies
        api.overrides = overrides
        api.maxBodySize = settings.maxBodySize
        api.webSocketLimits = settings.webSocketLimits
        api.docs.swaggerUIJavaScriptURL = settings.swaggerUIJavaScriptURL
        api.docs.swaggerUICSSURL = settings.swaggerUICSSURL
        api.docs.redocJavaScriptURL = settings.redocJavaScriptURL
        return api
    }
}
