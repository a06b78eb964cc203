import Logging
import ServiceLifecycle
import TernAPI
import TernAuth
import TernBroadcast
import TernCache
import TernDatabase
import TernJobs
import TernJobsRedis
import TernOIDC
import TernRateLimit
import TernRedis
import TernSentry

/// The application-wide parts requests and jobs are served with, built once at start and shared:
/// settings, the database, Redis (when configured) with the cache and the rate limiter on it, the job
/// queue, the password hasher, the token service, the email templates and the mailer, the jobs
/// dashboard's pages.
///
/// Tests build one with a test database, a fake mailer, or cheaper hashing, and pass it to
/// ``buildApplication(services:overrides:logger:)``.
public final class AppServices: Sendable {
    public let settings: Settings
    public let database: Database
    /// `nil` without `REDIS_URL`: the cache and the limiter then live in this process.
    public let redis: RedisClient?
    public let cache: Cache
    public let rateLimiter: any RateLimiter
    public let passwordHasher: PasswordHasher
    public let tokens: TokenService
    /// Sign-in sessions: refresh tokens, logout, revocation.
    public let sessions: Sessions
    /// Users' API keys.
    public let apiKeys = APIKeys()
    /// Second factors (TOTP) and their recovery codes.
    public let twoFactor: TwoFactor
    /// The identity providers people may sign in with (`OIDC_PROVIDERS`).
    public let identityProviders: IdentityProviders
    /// Seals a sign-in's secrets into the browser's cookie until it comes back from the provider.
    let signInFlows: SignInFlowSealer
    /// Signs the `cursor` of the user and item lists (keyset pagination).
    let pageCursors: PageCursors
    /// Signs the cookies of ``CookieSession``s, with the token keys (`SECRET_KEY`, then
    /// `PREVIOUS_SECRET_KEYS`), Secure outside development.
    public let cookieSessions: CookieSessionSettings
    /// Messages to the listeners of every process: through Redis when configured, else this
    /// process's own.
    public let broadcaster: any Broadcaster
    /// With Redis, the reader that hands the other processes' messages to this one's listeners
    /// (a service of the `api` process).
    public let redisBroadcaster: RedisBroadcaster?
    /// Users hear of changes to their items.
    let itemNotifications: ItemNotifications
    /// The content of item attachments, on disk.
    let attachmentStore: AttachmentStore
    /// Where jobs are enqueued (`JOBS_BACKEND`), and the backend workers claim from.
    public let jobs: JobQueue
    /// With the Redis backend, where jobs enqueued in a transaction wait for the relay.
    public let jobOutbox: JobOutbox
    /// The Prometheus registry `GET /metrics` serves; `nil` (no route) unless the executable
    /// bootstrapped one (``PrometheusMetrics/bootstrap()``).
    public let metrics: PrometheusMetrics?
    /// What exports the process's spans (``OpenTelemetryTracing``); `nil`, and no request is traced,
    /// unless the executable bootstrapped a tracer.
    public let traceExporter: (any Service)?
    /// Where errors that answer 500 are reported (`SENTRY_DSN`), a service of the process.
    let errorReporter: SentryReporter?
    let mailer: any Mailer
    let emails: EmailComposer
    /// The jobs dashboard's HTML pages.
    let dashboardPages: DashboardPages
    /// Where refresh tokens go (`REFRESH_TOKEN_COOKIE`).
    let refreshCookie: RefreshTokenCookie
    /// Failed logins per account, on ``rateLimiter``.
    let loginThrottle: LoginThrottle

    init(
        settings: Settings, database: Database, redis: RedisClient?, passwordHasher: PasswordHasher, tokens: TokenService,
        mailer: any Mailer, metrics: PrometheusMetrics? = nil, traceExporter: (any Service)? = nil, logger: Logger
    ) throws {
        self.settings = settings
        self.metrics = metrics
        self.traceExporter = traceExporter
        self.database = database
        self.redis = redis
        self.passwordHasher = passwordHasher
        self.tokens = tokens
        sessions = Sessions(tokens: tokens, policy: settings.sessions.policy)
        twoFactor = TwoFactor(secrets: [settings.secretKey] + settings.previousSecretKeys)
        identityProviders = Self.identityProviders(for: settings.signIn)
        signInFlows = SignInFlowSealer(secrets: [settings.secretKey] + settings.previousSecretKeys)
        pageCursors = PageCursors(secrets: [settings.secretKey] + settings.previousSecretKeys, purpose: "list position")
        cookieSessions = CookieSessionSettings(
            signer: SignedCookies(secrets: [settings.secretKey] + settings.previousSecretKeys, purpose: "session"),
            secure: settings.environment != .development)
        self.mailer = mailer
        refreshCookie = RefreshTokenCookie(settings: settings)
        emails = EmailComposer(
            templates: try EmailTemplates(projectName: settings.projectName), tokens: tokens, frontendHost: settings.frontendHost,
            resetTokenExpireHours: settings.email.resetTokenExpireHours, verifyTokenExpireHours: settings.email.verifyTokenExpireHours)
        dashboardPages = try DashboardPages()
        jobOutbox = JobOutbox(database: database)
        jobs = JobQueue(
            backend: Self.jobBackend(settings: settings, database: database, redis: redis, outbox: jobOutbox),
            defaultMaxAttempts: settings.jobs.maxAttempts)
        if let redis {
            cache = Cache(store: RedisCacheStore(redis: redis), logger: logger)
            rateLimiter = RedisRateLimiter(redis: redis)
            let redisBroadcaster = RedisBroadcaster(redis: redis, logger: logger)
            (broadcaster, self.redisBroadcaster) = (redisBroadcaster, redisBroadcaster)
        } else {
            cache = Cache(store: InProcessCacheStore(), logger: logger)
            rateLimiter = InProcessRateLimiter()
            (broadcaster, redisBroadcaster) = (InProcessBroadcaster(), nil)
        }
        itemNotifications = ItemNotifications(broadcaster: broadcaster, logger: logger)
        attachmentStore = AttachmentStore(directory: settings.uploadsDirectory, logger: logger)
        errorReporter = settings.sentryDSN.map { SentryReporter(dsn: $0, environment: settings.environment.rawValue, logger: logger) }
        loginThrottle = LoginThrottle(
            limiter: rateLimiter, limits: settings.rateLimits.enabled ? settings.rateLimits.loginFailures : [],
            failurePolicy: LimiterFailurePolicy(failOpen: settings.rateLimits.failOpen, name: "login throttle"))
    }

    /// The production parts for `settings`, with the metrics registry and the trace exporter the
    /// executable bootstrapped, if any.
    public static func make(
        settings: Settings, metrics: PrometheusMetrics? = nil, traceExporter: (any Service)? = nil, logger: Logger
    ) async throws -> AppServices {
        try await AppServices(
            settings: settings,
            database: Database(settings.database, logger: logger),
            redis: settings.redis.map { RedisClient(configuration: $0, logger: logger) },
            passwordHasher: PasswordHasher(parameters: settings.passwordHashParameters, limits: settings.passwordHashLimits),
            tokens: TokenService(
                secret: settings.secretKey, previousSecrets: settings.previousSecretKeys,
                accessTokenLifetime: .seconds(settings.accessTokenExpireMinutes * 60)),
            mailer: mailer(for: settings, logger: logger), metrics: metrics, traceExporter: traceExporter, logger: logger)
    }

    /// Closes the connections of the database and Redis (what the service group does on shutdown).
    func close() async {
        await database.close()
        redis?.close()
    }

    /// The backend `JOBS_BACKEND` names (the settings made sure Redis is configured for `redis`).
    static func jobBackend(settings: Settings, database: Database, redis: RedisClient?, outbox: JobOutbox) -> any JobBackend {
        switch (settings.jobs.backend, redis) {
        case (.redis, let redis?):
            RedisJobBackend(redis: redis, outbox: outbox, visibilityTimeout: settings.jobs.visibilityTimeout)
        case (.redis, nil), (.database, _):
            DatabaseJobBackend(
                database: database, visibilityTimeout: settings.jobs.visibilityTimeout, pollInterval: settings.jobs.pollInterval)
        }
    }

    /// The providers `OIDC_PROVIDERS` names, each spoken to as its type says.
    static func identityProviders(for settings: SignInSettings) -> IdentityProviders {
        IdentityProviders(
            settings.providers.map { provider -> any IdentityProvider in
                switch provider.type {
                case .oidc:
                    OpenIDProvider(
                        name: provider.name, issuer: provider.issuer, clientID: provider.clientID, clientSecret: provider.clientSecret)
                case .github:
                    GitHubProvider(
                        name: provider.name, webURL: provider.issuer, clientID: provider.clientID, clientSecret: provider.clientSecret)
                }
            })
    }

    /// Emails go over SMTP when `SMTP_HOST` and `EMAILS_FROM_EMAIL` are set (the reference template's
    /// rule); otherwise, in development, to the outbox folder; otherwise nowhere.
    static func mailer(for settings: Settings, logger: Logger) -> any Mailer {
        if let host = settings.email.smtpHost, let from = settings.email.fromEmail {
            return SMTPTransport(settings: settings.email, host: host, fromEmail: from)
        }
        if settings.email.smtpHost != nil {
            logger.warning("SMTP_HOST is set but EMAILS_FROM_EMAIL is not: emails are not sent over SMTP")
        }
        if settings.environment == .development, let folder = settings.email.outboxFolder {
            return OutboxMailer(folder: folder)
        }
        if settings.email.verificationRequired {
            logger.warning("EMAIL_VERIFICATION_REQUIRED is on, but no email can be sent: users who sign up cannot verify, nor log in")
        }
        return UnconfiguredMailer()
    }
}
