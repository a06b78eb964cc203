import Foundation
import Logging
import TernAPI
import TernAuth
import TernDatabase
import TernGraphQL
import TernRedis
import TernSentry
import TernSettings

extension Settings {
    /// The value the reference template ships for secrets, refused outside development.
    static let placeholderSecret = "changethis"

    /// Reads and checks every setting; throws one problem per line for everything wrong at once.
    ///
    /// - Parameters:
    ///   - environment: the process environment.
    ///   - dotEnvPath: a `.env` file whose variables apply where the environment has none.
    /// - Returns: the settings, and warnings worth logging (placeholder secrets in development).
    public static func load(
        environment: [String: String] = ProcessInfo.processInfo.environment, dotEnvPath: String = ".env"
    ) throws(SettingsError) -> (settings: Settings, warnings: [String]) {
        let dotEnv: [String: String]
        do {
            dotEnv = try DotEnvFile(path: dotEnvPath).variables
        } catch {
            throw SettingsError(problems: ["\(error)"])
        }
        var reader = SettingsReader(environment: environment, dotEnv: dotEnv)
        let settings = read(&reader)
        let warnings = checkSecrets(settings, &reader)
        try reader.finish()
        return (settings, warnings)
    }

    /// The default of every setting, written as `.env.example` writes it: what an empty environment
    /// reads (see ``SettingsReader/defaults``). A test holds `.env.example` to it.
    static func defaults() -> [String: String] {
        var reader = SettingsReader(environment: [:])
        _ = read(&reader)
        return reader.defaults
    }

    private static func read(_ reader: inout SettingsReader) -> Settings {
        let projectName = reader.string("PROJECT_NAME", default: "Tern")
        let port = reader.integer("PORT", default: 8000, in: 0...65535)
        return Settings(
            environment: reader.choice("ENVIRONMENT", default: Environment.development),
            projectName: projectName,
            apiPrefix: reader.string("API_V1_STR", default: "/api/v1"),
            host: reader.string("HOST", default: "127.0.0.1"),
            port: port,
            logLevel: reader.choice("LOG_LEVEL", default: Logger.Level.info),
            logFormat: reader.choice("LOG_FORMAT", default: LogFormat.text),
            accessLog: reader.boolean("ACCESS_LOG", default: true),
            metricsEnabled: reader.boolean("METRICS_ENABLED", default: true),
            otlpEndpoint: reader.optionalString("OTEL_EXPORTER_OTLP_ENDPOINT"),
            sentryDSN: sentryDSN(&reader),
            serverTiming: reader.boolean("SERVER_TIMING", default: false),
            gzipMinimumSize: reader.integer("GZIP_MIN_SIZE", default: 0, in: 0...(1 << 30)),
            staticFilesDirectory: reader.optionalString("STATIC_FILES_DIR"),
            uploadsDirectory: reader.string("UPLOADS_DIR", default: "data/uploads"),
            maxUploadSize: reader.integer("MAX_UPLOAD_SIZE", default: 100 << 20, in: 1024...(1 << 40)),
            allowedHosts: reader.list("ALLOWED_HOSTS", default: ["*"]),
            securityHeaders: reader.boolean("SECURITY_HEADERS", default: true),
            hstsSeconds: reader.integer("HSTS_SECONDS", default: 0, in: 0...(2 * 365 * 86_400)),
            httpsRedirect: reader.boolean("HTTPS_REDIRECT", default: false),
            maxBodySize: reader.integer("MAX_BODY_SIZE", default: 1 << 20, in: 1024...(1 << 30)),
            paginationMaxLimit: reader.integer("PAGINATION_MAX_LIMIT", default: 1000, in: 1...1_000_000),
            httpLimits: httpLimits(&reader),
            webSocketLimits: webSocketLimits(&reader),
            graphQLLimits: graphQLLimits(&reader),
            tls: tlsFiles(&reader),
            http2Cleartext: http2Cleartext(&reader),
            swaggerUIJavaScriptURL: reader.string(
                "SWAGGER_UI_JS_URL", default: "https://cdn.jsdelivr.net/npm/swagger-ui-dist@5/swagger-ui-bundle.js"),
            swaggerUICSSURL: reader.string(
                "SWAGGER_UI_CSS_URL", default: "https://cdn.jsdelivr.net/npm/swagger-ui-dist@5/swagger-ui.css"),
            redocJavaScriptURL: reader.string(
                "REDOC_JS_URL", default: "https://cdn.jsdelivr.net/npm/redoc@2/bundles/redoc.standalone.js"),
            database: database(&reader),
            databaseStartupTimeout: reader.seconds("DATABASE_STARTUP_TIMEOUT", default: .seconds(30), in: 0...3600),
            migrationsDirectory: reader.string("MIGRATIONS_DIR", default: "Migrations"),
            redis: redis(&reader),
            jobs: JobSettings.read(&reader, redisConfigured: reader.raw("REDIS_URL") != nil),
            cacheLifetime: reader.seconds("CACHE_TTL", default: .seconds(60), in: 0...86_400),
            rateLimits: RateLimitSettings.read(&reader),
            trustedProxies: reader.parsed("FORWARDED_ALLOW_IPS", default: "127.0.0.1") { try TrustedProxies($0) }
                ?? (try! TrustedProxies("127.0.0.1")),
            secretKey: reader.optionalString("SECRET_KEY") ?? randomSecret(),
            previousSecretKeys: reader.list("PREVIOUS_SECRET_KEYS"),
            accessTokenExpireMinutes: reader.integer(
                "ACCESS_TOKEN_EXPIRE_MINUTES", default: 60 * 24 * 8, in: 1...(60 * 24 * 365)),
            sessions: SessionSettings.read(&reader),
            signIn: SignInSettings.read(&reader, port: port),
            frontendHost: reader.string("FRONTEND_HOST", default: "http://localhost:5173"),
            backendCORSOrigins: reader.list("BACKEND_CORS_ORIGINS").map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 },
            firstSuperuser: reader.string("FIRST_SUPERUSER", default: "admin@example.com"),
            firstSuperuserPassword: reader.string("FIRST_SUPERUSER_PASSWORD", default: placeholderSecret),
            passwordHashParameters: passwordHashParameters(&reader),
            passwordHashLimits: hashingLimits(&reader),
            email: EmailSettings(
                smtpHost: reader.optionalString("SMTP_HOST"),
                smtpPort: reader.integer("SMTP_PORT", default: 587, in: 1...65535),
                smtpUser: reader.optionalString("SMTP_USER"),
                smtpPassword: reader.optionalString("SMTP_PASSWORD"),
                smtpTLS: reader.boolean("SMTP_TLS", default: true),
                smtpSSL: reader.boolean("SMTP_SSL", default: false),
                fromEmail: reader.optionalString("EMAILS_FROM_EMAIL"),
                fromName: reader.optionalString("EMAILS_FROM_NAME") ?? projectName,
                resetTokenExpireHours: reader.integer("EMAIL_RESET_TOKEN_EXPIRE_HOURS", default: 48, in: 1...(24 * 365)),
                verifyTokenExpireHours: reader.integer("EMAIL_VERIFY_TOKEN_EXPIRE_HOURS", default: 48, in: 1...(24 * 365)),
                verificationRequired: reader.boolean("EMAIL_VERIFICATION_REQUIRED", default: false),
                testUser: reader.string("EMAIL_TEST_USER", default: "test@example.com"),
                outboxFolder: outboxFolder(&reader)))
    }

    // Each building block's defaults come from its own type: written once, where they are used.

    private static func database(_ reader: inout SettingsReader) -> DatabaseConfiguration {
        let sqlite = "sqlite://data/tern.sqlite"
        let url = reader.parsed("DATABASE_URL", default: sqlite) { text in try DatabaseURL(text) }
        let defaults = DatabaseConfiguration(url: url ?? (try! DatabaseURL(sqlite)))
        return DatabaseConfiguration(
            url: defaults.url,
            maxConnections: reader.integer("DATABASE_POOL_SIZE", default: defaults.maxConnections, in: 1...1000),
            acquireTimeout: reader.seconds("DATABASE_POOL_TIMEOUT", default: defaults.acquireTimeout, in: 0.001...600),
            statementCacheCapacity: reader.integer(
                "DATABASE_STATEMENT_CACHE_SIZE", default: defaults.statementCacheCapacity, in: 0...10_000),
            planCacheMode: reader.choice("DATABASE_PLAN_CACHE_MODE", default: defaults.planCacheMode),
            connectTimeout: reader.seconds("DATABASE_CONNECT_TIMEOUT", default: defaults.connectTimeout, in: 1...600),
            shutdownTimeout: reader.seconds("DATABASE_SHUTDOWN_TIMEOUT", default: defaults.shutdownTimeout, in: 0...3600))
    }

    private static func httpLimits(_ reader: inout SettingsReader) -> HTTPServerLimits {
        let defaults = HTTPServerLimits()
        return HTTPServerLimits(
            idleTimeout: reader.seconds("HTTP_IDLE_TIMEOUT", default: defaults.idleTimeout, in: 1...86_400),
            readTimeout: reader.seconds("HTTP_READ_TIMEOUT", default: defaults.readTimeout, in: 1...86_400),
            minimumBodyRate: reader.integer("HTTP_MIN_BODY_RATE", default: defaults.minimumBodyRate, in: 1...(1 << 40)),
            maxConnections: reader.integer("HTTP_MAX_CONNECTIONS", default: defaults.maxConnections, in: 1...1_000_000),
            maxConcurrentRequests: reader.integer(
                "HTTP_MAX_CONCURRENT_REQUESTS", default: defaults.maxConcurrentRequests, in: 1...1_000_000))
    }

    private static func webSocketLimits(_ reader: inout SettingsReader) -> WebSocketLimits {
        let defaults = WebSocketLimits()
        return WebSocketLimits(
            maxMessageSize: reader.integer("WEBSOCKET_MAX_MESSAGE_SIZE", default: defaults.maxMessageSize, in: 125...(1 << 26)),
            authenticationTimeout: reader.seconds("WEBSOCKET_AUTH_TIMEOUT", default: defaults.authenticationTimeout, in: 0.1...600),
            pingInterval: reader.seconds("WEBSOCKET_PING_INTERVAL", default: defaults.pingInterval, in: 0.1...3600))
    }

    private static func graphQLLimits(_ reader: inout SettingsReader) -> QueryLimits {
        let defaults = QueryLimits()
        return QueryLimits(
            maxDepth: reader.integer("GRAPHQL_MAX_DEPTH", default: defaults.maxDepth, in: 1...100),
            maxComplexity: reader.integer("GRAPHQL_MAX_COMPLEXITY", default: defaults.maxComplexity, in: 1...1_000_000))
    }

    private static func passwordHashParameters(_ reader: inout SettingsReader) -> Argon2Parameters {
        let defaults = Argon2Parameters()
        return Argon2Parameters(
            memoryKiB: UInt32(reader.integer("PASSWORD_HASH_MEMORY_KIB", default: Int(defaults.memoryKiB), in: 1024...4_194_304)),
            iterations: UInt32(reader.integer("PASSWORD_HASH_ITERATIONS", default: Int(defaults.iterations), in: 1...100)),
            parallelism: UInt32(reader.integer("PASSWORD_HASH_PARALLELISM", default: Int(defaults.parallelism), in: 1...64)))
    }

    /// Where development emails are written; set to the empty string: nowhere.
    private static func outboxFolder(_ reader: inout SettingsReader) -> String? {
        let folder = reader.string("EMAILS_OUTBOX_DIR", default: "data/outbox")
        return reader.isSet("EMAILS_OUTBOX_DIR") && reader.raw("EMAILS_OUTBOX_DIR") == nil ? nil : folder
    }

    /// Redis, when `REDIS_URL` is set (its problems never quote the URL, which may hold a password).
    private static func redis(_ reader: inout SettingsReader) -> RedisConfiguration? {
        let defaults = try! RedisConfiguration(url: "redis://localhost")  // the client's own limits
        let connections = reader.integer("REDIS_CONNECTIONS", default: defaults.connectionCount, in: 1...64)
        let timeout = reader.seconds("REDIS_TIMEOUT", default: defaults.commandTimeout, in: 0.01...60)
        guard reader.raw("REDIS_URL") != nil else { return nil }
        return reader.parsed("REDIS_URL", default: "") { url in
            try RedisConfiguration(url: url, connectionCount: connections, connectTimeout: timeout, commandTimeout: timeout)
        }
    }

    private static func sentryDSN(_ reader: inout SettingsReader) -> SentryDSN? {
        guard let text = reader.optionalString("SENTRY_DSN") else { return nil }
        guard let dsn = SentryDSN(text) else {
            reader.report("SENTRY_DSN", "must be a Sentry DSN: https://PUBLIC_KEY@HOST/PROJECT_ID")
            return nil
        }
        return dsn
    }

    /// HTTPS, when `TLS_CERT_FILE` and `TLS_KEY_FILE` are both set; one without the other is a mistake.
    private static func tlsFiles(_ reader: inout SettingsReader) -> TLSFiles? {
        let certificate = reader.optionalString("TLS_CERT_FILE")
        let key = reader.optionalString("TLS_KEY_FILE")
        switch (certificate, key) {
        case (let certificate?, let key?):
            return TLSFiles(certificateChain: certificate, privateKey: key)
        case (nil, nil):
            return nil
        case (nil, _):
            reader.report("TLS_CERT_FILE", "must be set with TLS_KEY_FILE (the certificate chain, PEM)")
            return nil
        case (_, nil):
            reader.report("TLS_KEY_FILE", "must be set with TLS_CERT_FILE (the private key, PEM)")
            return nil
        }
    }

    /// Cleartext HTTP/2 when `HTTP2_CLEARTEXT` asks for it; with HTTPS, which offers HTTP/2 itself, a mistake.
    private static func http2Cleartext(_ reader: inout SettingsReader) -> Bool {
        let cleartext = reader.boolean("HTTP2_CLEARTEXT", default: false)
        if cleartext, reader.isSet("TLS_CERT_FILE") {
            reader.report("HTTP2_CLEARTEXT", "cannot be set with TLS_CERT_FILE, which serves HTTP/2 over TLS already")
        }
        return cleartext
    }

    /// Hashes at once (the core count by default) and the line behind them (as long by default, so
    /// that it empties in about one hash's time once a flood of logins ends).
    private static func hashingLimits(_ reader: inout SettingsReader) -> HashingLimits {
        let concurrency = reader.integer("PASSWORD_HASH_CONCURRENCY", default: ProcessInfo.processInfo.activeProcessorCount, in: 1...256)
        return HashingLimits(
            maxConcurrentHashes: concurrency,
            maxQueuedHashes: reader.integer("PASSWORD_HASH_QUEUE_SIZE", default: concurrency, in: 0...100_000),
            queueTimeout: reader.seconds("PASSWORD_HASH_QUEUE_TIMEOUT", default: HashingLimits().queueTimeout, in: 0.001...600))
    }

    /// Placeholder secrets are refused outside development, as the reference template does, and
    /// reported as warnings in development; origins CORS would refuse are refused here, at start.
    private static func checkSecrets(_ settings: Settings, _ reader: inout SettingsReader) -> [String] {
        do {
            _ = try CORSAllowList(settings.allowedOrigins)
        } catch {
            reader.report("BACKEND_CORS_ORIGINS", "\(error)")
        }
        var placeholders: [String] = []
        if reader.raw("SECRET_KEY") == placeholderSecret { placeholders.append("SECRET_KEY") }
        if settings.firstSuperuserPassword == placeholderSecret { placeholders.append("FIRST_SUPERUSER_PASSWORD") }
        if settings.database.url.password == placeholderSecret {
            placeholders.append("DATABASE_URL")
        }
        var warnings: [String] = []
        for key in placeholders {
            let problem = "the value \"\(placeholderSecret)\" is not safe; set a real secret"
            if settings.environment == .development {
                warnings.append("\(key): \(problem) before deploying")
            } else {
                reader.report(key, "\(problem) (refused when ENVIRONMENT is \(settings.environment.rawValue))")
            }
        }
        if settings.previousSecretKeys.contains(placeholderSecret) { placeholders.append("PREVIOUS_SECRET_KEYS") }
        let minimum = TokenService.minimumSecretLength
        // An old key still verifies tokens, so it is held to the same length as the one that signs.
        let short = [("SECRET_KEY", reader.raw("SECRET_KEY").map { [$0] } ?? []), ("PREVIOUS_SECRET_KEYS", settings.previousSecretKeys)]
        for (key, secrets) in short where secrets.contains(where: { $0 != placeholderSecret && $0.utf8.count < minimum }) {
            let problem =
                "shorter than \(minimum) bytes, the least HS256 should be signed with (generate one with: openssl rand -hex \(minimum))"
            if settings.environment == .development {
                warnings.append("\(key): \(problem)")
            } else {
                reader.report(key, problem)
            }
        }

        if reader.raw("SECRET_KEY") == nil {
            if settings.environment == .development {
                warnings.append(
                    "SECRET_KEY is not set: using a random key, so tokens stop working when the service restarts, and tokens one process signs (a worker's password-reset links, another api's logins) fail in every other process"
                )
            } else {
                reader.report(
                    "SECRET_KEY", "required when ENVIRONMENT is \(settings.environment.rawValue) (generate one with: openssl rand -hex 32)")
            }
        }
        return warnings
    }

    private static func randomSecret() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<32).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }.joined()
    }
}
