import Logging
import TernAPI
import TernAuth
import TernDatabase
import TernGraphQL
import TernRateLimit
import TernRedis
import TernSentry

/// Everything the service can be configured with, typed and checked at start.
///
/// Read from environment variables and a `.env` file (the environment wins) by ``load(environment:dotEnvPath:)``.
/// `.env.example` lists every variable with its default (a test holds it to the code, so the
/// defaults are not repeated here). Names follow the full-stack FastAPI template
/// wherever it has a setting with the same meaning.
public struct Settings: Sendable {
    /// Where the service runs; development relaxes some checks and mounts development-only routes.
    public enum Environment: String, Sendable, CaseIterable {
        case development, staging, production
    }

    /// Outgoing mail, with the reference template's names: sent over SMTP by the worker when
    /// `SMTP_HOST` and `EMAILS_FROM_EMAIL` are set; else, in development, written to the outbox folder.
    public struct EmailSettings: Sendable {
        public var smtpHost: String?
        public var smtpPort: Int
        public var smtpUser: String?
        public var smtpPassword: String?
        public var smtpTLS: Bool
        public var smtpSSL: Bool
        public var fromEmail: String?
        public var fromName: String
        public var resetTokenExpireHours: Int
        /// `EMAIL_VERIFY_TOKEN_EXPIRE_HOURS` (48): how long a verification link works.
        public var verifyTokenExpireHours: Int
        /// `EMAIL_VERIFICATION_REQUIRED` (false): users whose email is not verified cannot log in.
        public var verificationRequired: Bool
        public var testUser: String
        /// `EMAILS_OUTBOX_DIR`: in development, where emails are written as files (empty: nowhere).
        public var outboxFolder: String?
    }

    // MARK: Service

    /// `ENVIRONMENT`: development, staging or production.
    public var environment: Environment
    /// `PROJECT_NAME`: shown in the API docs and emails.
    public var projectName: String
    /// `API_V1_STR`: the prefix of every API route.
    public var apiPrefix: String
    /// `HOST` and `PORT`: where `api serve` listens unless given `--host`/`--port`.
    public var host: String
    public var port: Int
    /// `LOG_LEVEL`: trace, debug, info, notice, warning, error or critical.
    public var logLevel: Logger.Level
    /// `LOG_FORMAT`: `text`, or `json`, one object per line for a log collector.
    public var logFormat: LogFormat
    /// `ACCESS_LOG`: a line per request (method, path, route, status, time).
    public var accessLog: Bool
    /// `METRICS_ENABLED`: Prometheus metrics at `GET /metrics`.
    public var metricsEnabled: Bool
    /// `OTEL_EXPORTER_OTLP_ENDPOINT`: the OpenTelemetry collector `api serve` sends its traces to
    /// (OTLP/HTTP, `http://collector:4318`); unset, nothing is traced (see ``OpenTelemetryTracing``).
    public var otlpEndpoint: String?
    /// `SENTRY_DSN`: the Sentry project (or GlitchTip, Bugsink) that errors answering 500 are
    /// reported to, besides the log; unset, they are only logged.
    public var sentryDSN: SentryDSN?
    /// `SERVER_TIMING`: a `Server-Timing` header on every answer, with the time its
    /// database statements took and the whole (for your own clients: timings tell attackers things).
    public var serverTiming: Bool
    /// `GZIP_MIN_SIZE`: gzip answers of at least this many bytes for clients that
    /// accept it (streamed ones too; not images, archives or event streams); 0: none.
    public var gzipMinimumSize: Int
    /// `STATIC_FILES_DIR`: a folder whose files are served under `/static`, with
    /// caching headers and byte ranges.
    public var staticFilesDirectory: String?
    /// `UPLOADS_DIR`: where the content of item attachments is kept, one
    /// file per attachment named by its id.
    public var uploadsDirectory: String
    /// `MAX_UPLOAD_SIZE`: the largest attachment upload, in bytes; larger ones get
    /// 413. Uploads stream to disk, so this bounds disk, not memory.
    public var maxUploadSize: Int
    /// `ALLOWED_HOSTS`: the hosts requests may name, comma-separated (`api.example.com`,
    /// `*.example.com`); others get `400 Invalid host header`.
    public var allowedHosts: [String]
    /// `SECURITY_HEADERS`: `nosniff`, `X-Frame-Options`, `Referrer-Policy` on every answer.
    public var securityHeaders: Bool
    /// `HSTS_SECONDS`: `Strict-Transport-Security` for that long (0: not sent); set it only when
    /// served over HTTPS.
    public var hstsSeconds: Int
    /// `HTTPS_REDIRECT`: requests that came over plain HTTP (by the scheme, or a
    /// proxy's `X-Forwarded-Proto`/`Forwarded`) are redirected to HTTPS with 307.
    public var httpsRedirect: Bool
    /// `MAX_BODY_SIZE`: the largest request body accepted, in bytes; larger ones get 413.
    public var maxBodySize: Int
    /// `PAGINATION_MAX_LIMIT`: the largest `limit` a list accepts; more is a 422.
    public var paginationMaxLimit: Int
    /// `HTTP_IDLE_TIMEOUT`, `HTTP_READ_TIMEOUT`, `HTTP_MIN_BODY_RATE`, `HTTP_MAX_CONNECTIONS`, `HTTP_MAX_CONCURRENT_REQUESTS`:
    /// what a client may hold of the server (see ``HTTPServerLimits``).
    public var httpLimits: HTTPServerLimits
    /// `WEBSOCKET_MAX_MESSAGE_SIZE` (64 KiB), `WEBSOCKET_PING_INTERVAL` (30 s), `WEBSOCKET_AUTH_TIMEOUT`
    /// (10 s): what a WebSocket client may send, how often it is pinged, and how long it has to send
    /// its token when it connected without one (see ``WebSocketLimits``).
    public var webSocketLimits: WebSocketLimits
    /// `GRAPHQL_MAX_DEPTH` (10), `GRAPHQL_MAX_COMPLEXITY` (1000 fields): the largest operation
    /// `/graphql` runs (see ``QueryLimits``).
    public var graphQLLimits: QueryLimits
    /// `TLS_CERT_FILE`, `TLS_KEY_FILE` (PEM, both or neither): serve HTTPS, with HTTP/2 for clients
    /// that offer it (ALPN), instead of cleartext HTTP/1.1. The server limits' handlers and WebSockets
    /// are the cleartext server's: behind a TLS-terminating proxy, leave these empty.
    public var tls: TLSFiles?
    /// `HTTP2_CLEARTEXT`: serve cleartext HTTP/2 (h2c) to clients with prior
    /// knowledge, a proxy or mesh that speaks h2c to its upstreams, instead of HTTP/1.1. Browsers,
    /// HTTP/1.1 clients and WebSockets are then not served; not with `TLS_CERT_FILE`, which offers
    /// HTTP/2 already.
    public var http2Cleartext: Bool
    /// `SWAGGER_UI_JS_URL`, `SWAGGER_UI_CSS_URL`, `REDOC_JS_URL`: where the docs pages load their
    /// scripts from (a CDN by default, as in FastAPI).
    public var swaggerUIJavaScriptURL: String
    public var swaggerUICSSURL: String
    public var redocJavaScriptURL: String

    // MARK: Database

    /// `DATABASE_URL` and the `DATABASE_*` pool settings.
    public var database: DatabaseConfiguration
    /// `DATABASE_STARTUP_TIMEOUT`: how long start-up keeps retrying an unreachable database.
    public var databaseStartupTimeout: Duration
    /// `MIGRATIONS_DIR`: the folder of SQL migrations.
    public var migrationsDirectory: String

    // MARK: Redis, caching and rate limits

    /// `REDIS_URL` (with `REDIS_CONNECTIONS` and `REDIS_TIMEOUT`): the Redis every process shares for
    /// caching and rate limits. Unset: both are kept in each process's memory, shared with no other.
    public var redis: RedisConfiguration?
    /// `JOBS_*`, `WORKER_*`: the job queue and its workers.
    public var jobs: JobSettings
    /// `CACHE_TTL`: how long a cached query result (the current user, an item) is kept, in seconds;
    /// 0 turns the query cache off.
    public var cacheLifetime: Duration
    /// `RATE_LIMIT_*`.
    public var rateLimits: RateLimitSettings
    /// `FORWARDED_ALLOW_IPS` (uvicorn's): the proxies whose `X-Forwarded-For` / `Forwarded` name the
    /// client, comma-separated addresses or IPv4 networks, or `*`.
    public var trustedProxies: TrustedProxies

    // MARK: Security

    /// `SECRET_KEY`: signs tokens.
    public var secretKey: String
    /// `PREVIOUS_SECRET_KEYS`, comma-separated, newest first: keys that signed before `SECRET_KEY`,
    /// which still verify what they signed until removed (see the README's key rotation).
    public var previousSecretKeys: [String]
    /// `ACCESS_TOKEN_EXPIRE_MINUTES`: lifetime of access tokens.
    public var accessTokenExpireMinutes: Int
    /// `REFRESH_TOKEN_*`: sign-in sessions and their refresh tokens.
    public var sessions: SessionSettings
    /// `OIDC_*`: signing in with identity providers.
    public var signIn: SignInSettings
    /// `FRONTEND_HOST`: the web app's origin, allowed by CORS and used in email links.
    public var frontendHost: String
    /// `BACKEND_CORS_ORIGINS`: further allowed origins, comma-separated.
    public var backendCORSOrigins: [String]
    /// `FIRST_SUPERUSER` and `FIRST_SUPERUSER_PASSWORD`: the account created at start if missing.
    public var firstSuperuser: String
    public var firstSuperuserPassword: String
    /// `PASSWORD_HASH_MEMORY_KIB`, `PASSWORD_HASH_ITERATIONS`, `PASSWORD_HASH_PARALLELISM`: the
    /// Argon2id cost of new hashes, and the least a stored hash must have to be kept (RFC 9106's
    /// second recommendation by default, as pwdlib's: 64 MiB, 3, 4).
    public var passwordHashParameters: Argon2Parameters
    /// `PASSWORD_HASH_CONCURRENCY`, `PASSWORD_HASH_QUEUE_SIZE`, `PASSWORD_HASH_QUEUE_TIMEOUT`: hashes
    /// computed at once (memory: that many × the Argon2 memory; the core count by default), and the
    /// bounded line behind them (as long, by default).
    public var passwordHashLimits: HashingLimits

    // MARK: Email

    /// `SMTP_*`, `EMAILS_FROM_*`, `EMAIL_RESET_TOKEN_EXPIRE_HOURS`, `EMAIL_VERIFY_TOKEN_EXPIRE_HOURS`,
    /// `EMAIL_VERIFICATION_REQUIRED`, `EMAIL_TEST_USER`.
    public var email: EmailSettings

    /// Every origin CORS allows: the frontend plus `BACKEND_CORS_ORIGINS` (checked at load).
    public var allowedOrigins: [String] {
        var origins = [frontendHost]
        for origin in backendCORSOrigins where !origins.contains(origin) {
            origins.append(origin)
        }
        return origins
    }
}

/// How log lines are written (`LOG_FORMAT`).
public enum LogFormat: String, Sendable, CaseIterable {
    /// swift-log's text lines, for a terminal.
    case text
    /// One JSON object per line (``JSONLogHandler``), for a log collector.
    case json
}
