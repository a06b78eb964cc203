import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import ServiceLifecycle
import TernAPI
import TernAuth
import TernDatabase
import TernRedis
import TestSupport
import Testing

@testable import App

/// A mailer that keeps what it is asked to send, for tests.
final class RecordingMailer: Mailer, @unchecked Sendable {
    private let lock = NSLock()
    private var sent: [OutgoingEmail] = []

    func send(_ email: OutgoingEmail) async throws {
        lock.withLock { sent.append(email) }
    }

    var outbox: [OutgoingEmail] { lock.withLock { sent } }

    /// The emails sent, once there are at least `count` (the worker sends them after the request):
    /// waits up to a minute, then fails the test.
    func emails(count: Int) async throws -> [OutgoingEmail] {
        for _ in 0..<3000 {
            let emails = outbox
            if emails.count >= count { return emails }
            try await Task.sleep(for: .milliseconds(20))
        }
        Issue.record("\(count) email(s) expected, \(outbox.count) sent")
        return outbox
    }
}

/// The application wired for a test: a fresh migrated database on `backend`, the first superuser,
/// cheap password hashing, a recording mailer, and a job worker (emails are jobs); driven in-process
/// through HummingbirdTesting.
struct TestApp: Sendable {
    static let superuserEmail = "admin@example.com"
    static let superuserPassword = "admin-password"
    /// Argon2id cheap enough for tests that log in a lot.
    static let cheapHashing = Argon2Parameters(memoryKiB: 256, iterations: 1, parallelism: 1)

    let services: AppServices
    let mailer: RecordingMailer

    /// Runs `body` with a client of a freshly built application, then drops its database.
    ///
    /// - Parameters:
    ///   - testing: how the client reaches the application: in-process (`.router`, the default), or
    ///     over a live socket (`.live`), which ``TestClient/webSocket(_:token:_:)`` needs.
    ///   - hasher: the password hasher: cheap, with a line long enough for the tests that send many
    ///     requests at once, by default.
    ///   - worker: whether a job worker runs beside the app (tests that count database connections
    ///     turn it off: it uses them too).
    static func run(
        _ backend: Backend, environment: [String: String] = [:], overrides: DependencyOverrides = DependencyOverrides(),
        worker: Bool = true,
        hasher: PasswordHasher = PasswordHasher(
            parameters: cheapHashing, limits: HashingLimits(maxConcurrentHashes: 2, maxQueuedHashes: 64, queueTimeout: .seconds(60))),
        testing: TestingSetup = .router,
        _ body: @Sendable (TestClient, TestApp) async throws -> Void
    ) async throws {
        try await TestDatabase.with(backend, migrated: true) { testDatabase in
            try await run(
                testDatabase, environment: environment, overrides: overrides, hasher: hasher, worker: worker, testing: testing, body)
        }
    }

    /// The application on a database a test made: several runs of it share the data (a restart
    /// with other settings).
    static func run(
        _ testDatabase: TestDatabase, environment: [String: String] = [:], overrides: DependencyOverrides = DependencyOverrides(),
        hasher: PasswordHasher = PasswordHasher(
            parameters: cheapHashing, limits: HashingLimits(maxConcurrentHashes: 2, maxQueuedHashes: 64, queueTimeout: .seconds(60))),
        worker: Bool = true,
        testing: TestingSetup = .router,
        _ body: @Sendable (TestClient, TestApp) async throws -> Void
    ) async throws {
        var variables = [
            "DATABASE_URL": testDatabase.url.string, "SECRET_KEY": "test-secret-key-of-a-decent-length",
            "FIRST_SUPERUSER": superuserEmail, "FIRST_SUPERUSER_PASSWORD": superuserPassword,
            "DATABASE_POOL_SIZE": "4",
            // A line per request would bury a failing test's output.
            "ACCESS_LOG": "false",
            // A loaded machine is slow, never wrong: tests that want a short wait say so.
            "DATABASE_POOL_TIMEOUT": "60",
        ]
        variables.merge(environment) { $1 }
        let settings = try Settings.load(environment: variables, dotEnvPath: "/nonexistent/.env").settings
        let mailer = RecordingMailer()
        let services = try await AppServices(
            settings: settings, database: Database(settings.database),
            redis: settings.redis.map { RedisClient(configuration: $0, logger: Logger(label: "test")) },
            passwordHasher: hasher,
            tokens: TokenService(
                secret: settings.secretKey, previousSecrets: settings.previousSecretKeys,
                accessTokenLifetime: .seconds(settings.accessTokenExpireMinutes * 60)),
            mailer: mailer, logger: Logger(label: "test"))
        let app = TestApp(services: services, mailer: mailer)
        defer { services.redis?.close() }
        try await services.database.closing { _ in
            try await InitialData.createFirstSuperuser(services: services, logger: Logger(label: "test"))
            let application = try buildApplication(services: services, overrides: overrides, logger: Logger(label: "test"))
            // The application's services are the database and Redis; the worker (and the outbox
            // relay) run here, inside the test, so that they stop before the database closes.
            let jobServices = services.jobServices(includingWorker: worker, logger: Logger(label: "test"))
            try await application.test(testing) { client in
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for service in jobServices { group.addTask { try await service.run() } }
                    defer { group.cancelAll() }
                    try await body(TestClient(client: client), app)
                }
            }
        }
    }

    /// Creates a user directly (not through the API) and returns it.
    func createUser(
        email: String, password: String = "user-password", isSuperuser: Bool = false, isActive: Bool = true,
        createdAt: Date = Date()
    ) async throws -> User {
        let user = User(id: UUID(), email: email, isActive: isActive, isSuperuser: isSuperuser, fullName: nil, createdAt: createdAt)
        return try await UserRepository().insert(
            user, hashedPassword: try await services.passwordHasher.hash(password), on: services.database)
    }

    /// Creates an item directly, with the creation time a test needs.
    @discardableResult
    func createItem(title: String, owner: User, createdAt: Date) async throws -> Item {
        try await ItemRepository().insert(
            Item(id: UUID(), title: title, description: nil, ownerId: owner.id, createdAt: createdAt), on: services.database)
    }

    /// The stored hash of a user's password.
    func storedHash(of user: User) async throws -> String? {
        try await UserRepository().passwordHash(id: user.id, on: services.database)
    }
}

/// A response, with its body parsed as JSON.
struct TestResponse: Sendable {
    let status: Int
    let headers: HTTPFields
    let text: String

    /// The body as JSON; a body that is not JSON fails the test (so that a check such as
    /// `json["hashed_password"] == nil` cannot pass on an HTML page or an empty body).
    var json: JSONValue {
        do {
            return try JSONParser.parse(text)
        } catch {
            Issue.record("the body is not JSON (\(error)): \(text.prefix(200))")
            return .null
        }
    }

    var detail: JSONValue? { json["detail"] }
}

/// Calls the API in-process, with the helpers the tests need: JSON and form bodies, bearer tokens,
/// logging in.
struct TestClient: Sendable {
    /// Where the API's routes are: the default `API_V1_STR`, which the tests keep.
    static let apiPrefix = "/api/v1"

    let client: any TestClientProtocol

    func request(
        _ method: HTTPRequest.Method, _ path: String, json: JSONValue? = nil, form: String? = nil, token: String? = nil,
        headers extraHeaders: HTTPFields = [:], rawBody: String? = nil
    ) async throws -> TestResponse {
        var headers = extraHeaders
        var body: ByteBuffer?
        if let json {
            headers[.contentType] = "application/json"
            body = ByteBuffer(string: json.jsonText)
        } else if let form {
            headers[.contentType] = "application/x-www-form-urlencoded"
            body = ByteBuffer(string: form)
        } else if let rawBody {
            body = ByteBuffer(string: rawBody)
        }
        if let token { headers[.authorization] = "Bearer \(token)" }
        return try await execute(Self.apiPrefix + path, method, headers: headers, body: body)
    }

    /// Sends a request to `uri` as given, outside the API prefix too.
    private func execute(
        _ uri: String, _ method: HTTPRequest.Method, headers: HTTPFields = [:], body: ByteBuffer? = nil
    ) async throws
        -> TestResponse
    {
        try await client.execute(uri: uri, method: method, headers: headers, body: body) { response in
            TestResponse(status: Int(response.status.code), headers: response.headers, text: String(buffer: response.body))
        }
    }

    func get(_ path: String, token: String? = nil) async throws -> TestResponse {
        try await request(.get, path, token: token)
    }

    /// `GET uri`, outside the API prefix (`/graphql`, `/docs`).
    func getOutsideAPI(_ uri: String) async throws -> TestResponse {
        try await execute(uri, .get)
    }

    /// Runs a GraphQL operation at `/graphql` (beside the API prefix, not under it).
    func graphQL(_ query: String, variables: JSONValue? = nil, token: String? = nil) async throws -> TestResponse {
        var headers: HTTPFields = [.contentType: "application/json"]
        if let token { headers[.authorization] = "Bearer \(token)" }
        let body: JSONValue = ["query": .string(query), "variables": variables ?? .null]
        return try await execute("/graphql", .post, headers: headers, body: ByteBuffer(string: body.jsonText))
    }

    func post(_ path: String, json: JSONValue? = nil, token: String? = nil) async throws -> TestResponse {
        try await request(.post, path, json: json, token: token)
    }

    func patch(_ path: String, json: JSONValue, token: String? = nil) async throws -> TestResponse {
        try await request(.patch, path, json: json, token: token)
    }

    func put(_ path: String, json: JSONValue, token: String? = nil) async throws -> TestResponse {
        try await request(.put, path, json: json, token: token)
    }

    func delete(_ path: String, token: String? = nil) async throws -> TestResponse {
        try await request(.delete, path, token: token)
    }

    /// Logs in through the OAuth2 password form and returns the access token.
    func login(_ email: String, _ password: String) async throws -> String {
        try await signIn(email, password).access
    }

    /// Logs in through the OAuth2 password form and returns the access and refresh tokens.
    func signIn(_ email: String, _ password: String) async throws -> (access: String, refresh: String) {
        let form = "username=\(email.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? email)&password=\(password)"
        let response = try await request(.post, "/login/access-token", form: form)
        guard response.status == 200, let access = response.json["access_token"]?.stringValue,
            let refresh = response.json["refresh_token"]?.stringValue
        else {
            throw TestSetupError("login of \(email) failed: \(response.status) \(response.text)")
        }
        return (access, refresh)
    }

    /// The first superuser's token.
    func superuserToken() async throws -> String {
        try await login(TestApp.superuserEmail, TestApp.superuserPassword)
    }
}
