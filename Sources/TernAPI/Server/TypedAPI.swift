import Foundation
import HTTPTypes
import Hummingbird
import Logging
import OpenAPIKit

/// A typed, self-documenting HTTP API: routers of operations, the application context their
/// dependencies are built from, error mappings, and the OpenAPI document and docs pages generated
/// from it all.
///
/// ```swift
/// var api = TypedAPI(title: "Tern", version: "1.0.0", prefix: "/api/v1", context: services)
/// api.include(ItemsRouter())
/// try api.install(on: router)   // routes, 405s, /api/v1/openapi.json, /docs, /redoc
/// ```
///
/// The context is the application's own typed value (its services: settings, database, hasher...),
/// which ``ContextDependency`` types read, as Hummingbird's handlers read their request context.
public struct TypedAPI<Context: Sendable>: Sendable {
    public var title: String
    public var version: String
    public var summary: String?
    /// The prefix of every operation's path (`/api/v1`).
    public var prefix: String
    public private(set) var operations: [APIOperation] = []
    /// The WebSocket endpoints, served through ``installWebSockets(on:)``.
    public internal(set) var webSockets: [WebSocketRoute] = []
    /// Security schemes operations may require, by name.
    public var securitySchemes: [String: SecurityScheme] = [:]
    /// The application's context, which ``ContextDependency`` types read.
    public let context: Context
    /// Dependency replacements (tests).
    public var overrides = DependencyOverrides()
    /// Mappings of application errors to HTTP errors.
    public var errorHandlers = ErrorHandlers()
    /// Where errors that answer 500 are reported besides the log (an error tracker).
    public var errorReporter: (any ErrorReporter)?
    /// The largest request body accepted; larger ones get 413.
    public var maxBodySize = 1 << 20
    /// What `multipart/form-data` bodies may hold besides their size, and where their files spool.
    public var multipartLimits = MultipartLimits()
    /// Where the document and the docs pages are served.
    public var docs = DocsConfiguration()
    /// The rate limiter and the rule of every operation; `nil`: no operation is limited.
    public var rateLimiting: RateLimiting?
    /// The proxies whose forwarded headers name the client (``IncomingRequest/clientAddress``).
    public var trustedProxies = try! TrustedProxies("127.0.0.1")
    /// What WebSockets allow a client: message size, time to authenticate.
    public var webSocketLimits = WebSocketLimits()

    public init(title: String, version: String, summary: String? = nil, prefix: String = "", context: Context) {
        self.title = title
        self.version = version
        self.summary = summary
        self.prefix = prefix
        self.context = context
    }

    /// Adds a router's operations under the API prefix, `prefix` and the router's prefix, in that
    /// order; `tags` and `dependencies` come before the router's own, as FastAPI's
    /// `include_router` puts them (the first tag names the operation id). `maxBodySize` is the body
    /// limit of its operations that declare none (an upload router's, read from the settings).
    /// `underAPIPrefix: false` leaves out the API prefix: `/graphql` beside `/api/v1`.
    public mutating func include(
        _ router: some APIRouter, prefix extraPrefix: String = "", tags: [String] = [],
        dependencies: [any Dependency.Type] = [], maxBodySize routerMaxBodySize: Int? = nil, underAPIPrefix: Bool = true
    ) {
        let group = router.groupOptions
        for var operation in router.operations {
            operation.options.maxBodySize = operation.options.maxBodySize ?? routerMaxBodySize
            operation.path = Self.join(underAPIPrefix ? prefix : "", extraPrefix, group.prefix, operation.path)
            operation.tags = tags + group.tags + operation.tags
            operation.groupDependencies = dependencies + group.dependencies
            operation.groupRateLimits = group.rateLimits
            operation.groupScopes = group.scopes
            operations.append(operation)
        }
    }

    /// Whether any rate limit applies to the operation (one with limits: a setting may leave a rule empty).
    func isRateLimited(_ operation: APIOperation) -> Bool {
        (try? rateLimitRules(of: operation))?.isEmpty == false
    }

    static func join(_ parts: String...) -> String {
        let joined = parts.filter { !$0.isEmpty }.map { $0.hasPrefix("/") ? $0 : "/" + $0 }.joined()
        let collapsed = joined.replacingOccurrences(of: "//", with: "/")
        return collapsed.isEmpty ? "/" : collapsed
    }
}

extension TypedAPI where Context == Void {
    /// An API whose dependencies need no application context.
    public init(title: String, version: String, summary: String? = nil, prefix: String = "") {
        self.init(title: title, version: version, summary: summary, prefix: prefix, context: ())
    }
}

/// A security scheme, as the OpenAPI document declares it.
public enum SecurityScheme: Sendable {
    /// OAuth2's password flow with a bearer token (FastAPI's `OAuth2PasswordBearer`), and the scopes
    /// a client may request; those operations require are listed too, declared here or not.
    case oauth2Password(tokenURL: String, scopes: [Scope] = [])
    /// `Authorization: Bearer <token>` (FastAPI's `HTTPBearer`).
    case httpBearer(format: String? = nil)
    /// `Authorization: Basic <base64 of user:password>` (FastAPI's `HTTPBasic`).
    case httpBasic
    /// A key in the header `name` (FastAPI's `APIKeyHeader`).
    case apiKeyHeader(name: String)
}

/// Where the OpenAPI document, Swagger UI and ReDoc are served, and where their scripts come from
/// (jsDelivr by default, as in FastAPI; point them at your own copies to serve the docs offline).
public struct DocsConfiguration: Sendable {
    /// Relative to the API prefix.
    public var openAPIPath = "/openapi.json"
    /// Absolute; `nil` turns the page off.
    public var swaggerUIPath: String? = "/docs"
    public var redocPath: String? = "/redoc"
    public var swaggerUIJavaScriptURL = "https://cdn.jsdelivr.net/npm/swagger-ui-dist@5/swagger-ui-bundle.js"
    public var swaggerUICSSURL = "https://cdn.jsdelivr.net/npm/swagger-ui-dist@5/swagger-ui.css"
    public var redocJavaScriptURL = "https://cdn.jsdelivr.net/npm/redoc@2/bundles/redoc.standalone.js"
    public var faviconURL = "https://fastapi.tiangolo.com/img/favicon.png"

    public init() {}
}
