import Logging
import TernAPI
import TernAuth
import TernCache
import TernDatabase
import TernRateLimit
import TernRedis

/// The application-wide parts requests are served with, built once at start and shared: settings,
/// the database, Redis (when configured) with the cache and the rate limiter on it, the password
/// hasher, the token service and the mailer.
///
/// Tests build one with a test database, a fake mailer, or cheaper hashing, and pass it to
/// ``buildApplication(services:overrides:logger:)``.
public struct AppServices: Sendable {
    public var settings: Settings
    public var database: Database
    /// `nil` without `REDIS_URL`: the cache and the limiter then live in this process.
    public var redis: RedisClient?
    public var cache: Cache
    public var rateLimiter: any RateLimiter
    public var passwordHasher: PasswordHasher
    public var tokens: TokenService
    var mailer: any Mailer
    /// Failed logins per account, on ``rateLimiter``.
    var loginThrottle: LoginThrottle

    init(
        settings: Settings, database: Database, redis: RedisClient?, passwordHasher: PasswordHasher, tokens: TokenService,
        mailer: any Mailer, logger: Logger
    ) {
        self.settings = settings
        self.database = database
        self.redis = redis
        self.passwordHasher = passwordHasher
        self.tokens = tokens
        self.mailer = mailer
        if let redis {
            cache = Cache(store: RedisCacheStore(redis: redis), logger: logger)
            rateLimiter = RedisRateLimiter(redis: redis)
        } else {
            cache = Cache(store: InProcessCacheStore(), logger: logger)
            rateLimiter = InProcessRateLimiter()
        }
        loginThrottle = LoginThrottle(
            limiter: rateLimiter, limits: settings.rateLimits.enabled ? settings.rateLimits.loginFailures : [],
            failurePolicy: LimiterFailurePolicy(failOpen: settings.rateLimits.failOpen, name: "login throttle"))
    }

    /// The production parts for `settings`.
    public static func make(settings: Settings, logger: Logger) async -> AppServices {
        await AppServices(
            settings: settings,
            database: Database(settings.database, logger: logger),
            redis: settings.redis.map { RedisClient(configuration: $0, logger: logger) },
            passwordHasher: PasswordHasher(parameters: settings.passwordHashParameters, limits: settings.passwordHashLimits),
            tokens: TokenService(secret: settings.secretKey, accessTokenLifetime: .seconds(settings.accessTokenExpireMinutes * 60)),
            mailer: mailer(for: settings, logger: logger), logger: logger)
    }

    /// Closes the connections of the database and Redis (what the service group does on shutdown).
    func close() async {
        await database.close()
        redis?.close()
    }

    /// No SMTP transport ships with the template; in development, emails go to the outbox folder.
    static func mailer(for settings: Settings, logger: Logger) -> any Mailer {
        if settings.email.smtpHost != nil {
            logger.warning("SMTP_HOST is set, but this template has no SMTP transport yet: emails are not sent")
        }
        if settings.environment == .development, let folder = settings.email.outboxFolder {
            return OutboxMailer(folder: folder)
        }
        return UnconfiguredMailer()
    }
}
