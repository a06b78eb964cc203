import Foundation
import TernAPI
import TernAuth
import TernDatabase
import TernSettings
import Testing

@testable import App

@Suite("Settings", .timeLimit(.minutes(5)))
struct SettingsTests {
    private func load(_ environment: [String: String], dotEnv: String? = nil) throws -> (settings: Settings, warnings: [String]) {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("env-\(UUID().uuidString)").path
        if let dotEnv { try dotEnv.write(toFile: path, atomically: true, encoding: .utf8) }
        defer { try? FileManager.default.removeItem(atPath: path) }
        return try Settings.load(environment: environment, dotEnvPath: path)
    }

    @Test(".env.example shows the default of every setting the service reads, as the code has it")
    func exampleShowsTheDefaults() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let shown = try DotEnvFile(path: root.appendingPathComponent(".env.example").path).variables
        let defaults = Settings.defaults()
        // Worked out at start (a random key, Redis or not, the core count): the example says so in words.
        let workedOut: Set = ["SECRET_KEY", "JOBS_BACKEND", "PASSWORD_HASH_CONCURRENCY", "PASSWORD_HASH_QUEUE_SIZE"]
        for (key, value) in defaults.sorted(by: { $0.key < $1.key }) where !workedOut.contains(key) {
            #expect(shown[key] == value, "\(key): the default is '\(value)'")
        }
        #expect(defaults.count > 80, "the settings read from an empty environment: \(defaults.count)")
    }

    @Test("with nothing set, the service runs on a SQLite file under ./data in development")
    func defaults() throws {
        let (settings, warnings) = try load([:])
        #expect(settings.database.url.location == .sqlite(path: "data/tern.sqlite"))
        #expect(settings.environment == .development)
        #expect(settings.apiPrefix == "/api/v1")
        #expect(settings.port == 8000)
        #expect(settings.accessTokenExpireMinutes == 60 * 24 * 8)
        #expect(settings.frontendHost == "http://localhost:5173")
        #expect(settings.secretKey.count == 64)
        #expect(warnings.contains { $0.hasPrefix("SECRET_KEY is not set") })
    }

    @Test(
        "DATABASE_URL selects the database",
        arguments: [
            ("sqlite:///var/lib/tern/app.sqlite", DatabaseURL.Location.sqlite(path: "/var/lib/tern/app.sqlite")),
            ("sqlite://relative/app.sqlite", .sqlite(path: "relative/app.sqlite")),
            ("postgres://u:p@db:5432/app", .postgres(url: "postgres://u:p@db:5432/app")),
            ("postgresql://u@localhost/app?sslmode=disable", .postgres(url: "postgresql://u@localhost/app?sslmode=disable")),
        ])
    func databaseURL(url: String, location: DatabaseURL.Location) throws {
        #expect(try load(["DATABASE_URL": url]).settings.database.url.location == location)
    }

    @Test("the environment wins over .env")
    func dotEnv() throws {
        let settings = try load(
            ["PORT": "9001"], dotEnv: "PORT=9000\nPROJECT_NAME=\"My Project\"\nSECRET_KEY=from-file-secret\n"
        ).settings
        #expect(settings.port == 9001)
        #expect(settings.projectName == "My Project")
        #expect(settings.secretKey == "from-file-secret")
        #expect(settings.email.fromName == "My Project")
    }

    @Test("placeholder secrets are warnings in development and errors elsewhere")
    func placeholderSecrets() throws {
        let development = try load(["SECRET_KEY": "changethis", "DATABASE_URL": "postgres://app:changethis@db/app"])
        #expect(development.warnings.contains { $0.hasPrefix("SECRET_KEY: the value \"changethis\"") })
        #expect(development.warnings.contains { $0.hasPrefix("DATABASE_URL: the value \"changethis\"") })
        let error = #expect(throws: (any Error).self) {
            try load(["ENVIRONMENT": "staging", "SECRET_KEY": "changethis", "FIRST_SUPERUSER_PASSWORD": "a-real-password"])
        }
        #expect(
            "\(error!)".contains(
                "SECRET_KEY: the value \"changethis\" is not safe; set a real secret (refused when ENVIRONMENT is staging)"))
        #expect(!"\(error!)".contains("FIRST_SUPERUSER_PASSWORD"))
    }

    @Test("production requires a SECRET_KEY")
    func productionSecret() throws {
        let error = #expect(throws: (any Error).self) {
            try load(["ENVIRONMENT": "production", "FIRST_SUPERUSER_PASSWORD": "a-real-password"])
        }
        #expect("\(error!)".contains("SECRET_KEY: required when ENVIRONMENT is production"))
    }

    @Test("a malformed .env is reported with its line")
    func malformedDotEnv() throws {
        let error = #expect(throws: (any Error).self) { try load([:], dotEnv: "GOOD=1\nthis is not a setting\n") }
        #expect("\(error!)" == ".env line 2: expected KEY=value")
    }
}

@Suite("Secret key length", .timeLimit(.minutes(5)))
struct SecretKeyLengthTests {
    @Test("a SECRET_KEY shorter than 32 bytes is a warning in development and refused elsewhere")
    func shortSecret() throws {
        let development = try Settings.load(environment: ["SECRET_KEY": "too-short"], dotEnvPath: "/nonexistent").warnings
        #expect(development.contains { $0.hasPrefix("SECRET_KEY: shorter than 32 bytes") })
        let error = #expect(throws: (any Error).self) {
            try Settings.load(
                environment: ["ENVIRONMENT": "production", "SECRET_KEY": "too-short", "FIRST_SUPERUSER_PASSWORD": "a-real-password"],
                dotEnvPath: "/nonexistent")
        }
        #expect("\(error!)".contains("SECRET_KEY: shorter than 32 bytes"))
    }
}

@Suite("Limits and policies from settings", .timeLimit(.minutes(5)))
struct LimitSettingsTests {
    private func load(_ environment: [String: String]) throws -> Settings {
        try Settings.load(environment: environment, dotEnvPath: "/nonexistent").settings
    }

    @Test("password hashing defaults to RFC 9106's second recommendation (pwdlib's), with a bounded queue")
    func hashingDefaults() throws {
        let settings = try load([:])
        #expect(settings.passwordHashParameters == .rfc9106SecondRecommendation)
        #expect(settings.passwordHashParameters.memoryKiB == 65_536)
        #expect(settings.passwordHashParameters.iterations == 3)
        #expect(settings.passwordHashParameters.parallelism == 4)
        #expect(settings.passwordHashLimits.maxQueuedHashes == settings.passwordHashLimits.maxConcurrentHashes)
        #expect(settings.passwordHashLimits.queueTimeout == .seconds(5))
    }

    @Test("every limit can be set")
    func limitsFromSettings() throws {
        let settings = try load([
            "PASSWORD_HASH_MEMORY_KIB": "19456", "PASSWORD_HASH_ITERATIONS": "2", "PASSWORD_HASH_PARALLELISM": "1",
            "PASSWORD_HASH_CONCURRENCY": "3", "PASSWORD_HASH_QUEUE_SIZE": "7", "PASSWORD_HASH_QUEUE_TIMEOUT": "0.5",
            "HTTP_IDLE_TIMEOUT": "15", "HTTP_READ_TIMEOUT": "4", "HTTP_MAX_CONNECTIONS": "100", "HTTP_MAX_CONCURRENT_REQUESTS": "20",
            "DATABASE_SHUTDOWN_TIMEOUT": "3",
        ])
        #expect(settings.passwordHashParameters == .owaspMinimum)
        #expect(settings.passwordHashLimits.maxConcurrentHashes == 3)
        #expect(settings.passwordHashLimits.maxQueuedHashes == 7)
        #expect(settings.passwordHashLimits.queueTimeout == .milliseconds(500))
        #expect(settings.httpLimits.idleTimeout == .seconds(15))
        #expect(settings.httpLimits.readTimeout == .seconds(4))
        #expect(settings.httpLimits.maxConnections == 100)
        #expect(settings.httpLimits.maxConcurrentRequests == 20)
        #expect(settings.database.shutdownTimeout == .seconds(3))
    }

    @Test("out-of-range limits are refused, each named")
    func badLimits() throws {
        let error = #expect(throws: (any Error).self) {
            try load(["PASSWORD_HASH_MEMORY_KIB": "8", "HTTP_READ_TIMEOUT": "0", "HTTP_MAX_CONNECTIONS": "many"])
        }
        let text = "\(error!)"
        #expect(text.contains("PASSWORD_HASH_MEMORY_KIB") && text.contains("HTTP_READ_TIMEOUT") && text.contains("HTTP_MAX_CONNECTIONS"))
    }

    @Test("'*' among the CORS origins is refused: with credentials it would let any site act for a user")
    func wildcardOrigin() throws {
        let error = #expect(throws: (any Error).self) { try load(["BACKEND_CORS_ORIGINS": "https://app.example.com,*"]) }
        #expect("\(error!)".contains("BACKEND_CORS_ORIGINS: '*' cannot be an allowed origin when credentials are allowed"))
        #expect(try load(["BACKEND_CORS_ORIGINS": "https://app.example.com"]).allowedOrigins.contains("https://app.example.com"))
    }

    @Test("identity providers: each named one needs its client, an issuer (known for google and github), HTTPS off loopback")
    func identityProviders() throws {
        let error = #expect(throws: (any Error).self) {
            try load(["OIDC_PROVIDERS": "corp,bad name", "OIDC_CORP_ISSUER": "http://sso.example.com"])
        }
        let text = "\(error!)"
        #expect(text.contains("OIDC_CORP_CLIENT_ID") && text.contains("OIDC_CORP_CLIENT_SECRET"))
        #expect(text.contains("OIDC_CORP_ISSUER: expected an https URL") && text.contains("'bad name'"))

        let settings = try load([
            "OIDC_PROVIDERS": "google,github", "OIDC_GOOGLE_CLIENT_ID": "g", "OIDC_GOOGLE_CLIENT_SECRET": "gs",
            "OIDC_GITHUB_CLIENT_ID": "h", "OIDC_GITHUB_CLIENT_SECRET": "hs", "OIDC_CALLBACK_BASE_URL": "https://api.example.com/",
        ])
        let providers = settings.signIn.providers
        #expect(providers.map(\.name) == ["google", "github"])
        #expect(providers[0].issuer == "https://accounts.google.com" && providers[0].type == .oidc)
        #expect(providers[1].issuer == "https://github.com" && providers[1].type == .github)
        #expect(settings.signIn.callbackBaseURL == "https://api.example.com")
    }
}
