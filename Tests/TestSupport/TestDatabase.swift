import Foundation
import Logging
import TernDatabase
import TernMigrations
import Testing

/// The database backends every database test runs on.
public enum Backend: String, Sendable, CaseIterable, CustomTestStringConvertible {
    case sqlite
    case postgres

    public var testDescription: String { rawValue }
}

/// Settings the test command (`scripts/test`) passes to the tests.
public enum TestEnvironment {
    /// Admin URL of the PostgreSQL server shared by the tests.
    public static func postgresURL() throws -> String {
        try required("TERN_TEST_POSTGRES_URL")
    }

    static func required(_ name: String) throws -> String {
        guard let value = ProcessInfo.processInfo.environment[name], !value.isEmpty else {
            throw TestSetupError(
                "\(name) is not set: these tests need the PostgreSQL and Redis servers that scripts/test starts."
                    + " Run the suite with scripts/test.")
        }
        return value
    }

    /// The repository's `Migrations/` folder.
    public static let migrationsPath: String = packageRoot.appendingPathComponent("Migrations").path

    /// The repository root, found from this file's location.
    public static let packageRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
}

/// A test could not set up what it needs.
public struct TestSetupError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// A fresh, empty database for one test: a new SQLite file, or a new PostgreSQL database on the
/// shared test server. Dropped when the test ends.
public struct TestDatabase: Sendable {
    public let backend: Backend
    public let url: DatabaseURL
    private let postgresName: String?
    private let sqliteFolder: URL?

    /// Creates the database; `migrated` applies the repository's migrations.
    public static func create(
        _ backend: Backend, migrated: Bool = false
    ) async throws -> TestDatabase {
        let name = "tern_test_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        TestRunLog.record(backend)
        let database: TestDatabase
        switch backend {
        case .sqlite:
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent(name)
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            database = TestDatabase(
                backend: backend, url: try DatabaseURL("sqlite://" + folder.appendingPathComponent("test.sqlite").path),
                postgresName: nil, sqliteFolder: folder)
        case .postgres:
            let admin = try await PostgresAdmin.shared()
            try await admin.execute("CREATE DATABASE \(identifier: name)")
            database = TestDatabase(
                backend: backend,
                url: try DatabaseURL(PostgresAdmin.url(replacingDatabaseWith: name, in: try TestEnvironment.postgresURL())),
                postgresName: name, sqliteFolder: nil)
        }
        if migrated {
            let connection = Database(DatabaseConfiguration(url: database.url, maxConnections: 1))
            try await Migrator(
                database: connection, directory: MigrationDirectory(path: TestEnvironment.migrationsPath),
                logger: .init(label: "test")
            ).migrate()
            await connection.close()
        }
        return database
    }

    /// Opens a connection pool on the database.
    public func open(maxConnections: Int = 4, acquireTimeout: Duration = .seconds(5)) -> Database {
        Database(DatabaseConfiguration(url: url, maxConnections: maxConnections, acquireTimeout: acquireTimeout))
    }

    /// Removes the database.
    public func drop() async {
        if let postgresName, let admin = try? await PostgresAdmin.shared() {
            _ = try? await admin.execute("DROP DATABASE IF EXISTS \(identifier: postgresName) WITH (FORCE)")
        }
        if let sqliteFolder {
            try? FileManager.default.removeItem(at: sqliteFolder)
        }
    }
}

extension TestDatabase {
    /// Runs `body` with a fresh database on `backend`, then drops it, whether `body` succeeds or not.
    public static func with<T>(
        _ backend: Backend, migrated: Bool = false, _ body: (TestDatabase) async throws -> T
    ) async throws -> T {
        try await using(try await create(backend, migrated: migrated), cleanup: { await $0.drop() }, body)
    }
}

extension Database {
    /// Runs `body` with this pool, then closes it, whether `body` succeeds or not.
    public func closing<T>(_ body: (Database) async throws -> T) async throws -> T {
        do {
            let result = try await body(self)
            await close()
            return result
        } catch {
            await close()
            throw error
        }
    }
}

/// Runs `body` with a fresh database pool on `backend`, then closes and drops it.
public func withTestDatabase<T>(
    _ backend: Backend, migrated: Bool = false, maxConnections: Int = 4, acquireTimeout: Duration = .seconds(5),
    _ body: (Database) async throws -> T
) async throws -> T {
    try await TestDatabase.with(backend, migrated: migrated) { testDatabase in
        try await testDatabase.open(maxConnections: maxConnections, acquireTimeout: acquireTimeout).closing(body)
    }
}

/// A connection pool on the test server's `postgres` database, for creating and dropping databases.
enum PostgresAdmin {
    private static let database = LazyAdmin()

    static func shared() async throws -> Database {
        try await database.get()
    }

    static func url(replacingDatabaseWith name: String, in url: String) throws -> String {
        guard var components = URLComponents(string: url) else { throw TestSetupError("bad PostgreSQL URL \(url)") }
        components.path = "/" + name
        return components.string!
    }

    private actor LazyAdmin {
        private var database: Database?

        func get() throws -> Database {
            if let database { return database }
            // Every PostgreSQL test creates its database at the start, all at once: they queue here,
            // for as long as it takes, rather than fail the pool's usual five-second wait.
            let created = Database(
                DatabaseConfiguration(
                    url: try DatabaseURL(TestEnvironment.postgresURL()), maxConnections: 4, acquireTimeout: .seconds(300)))
            database = created
            return created
        }
    }
}

/// Notes which backend each database test used, in the file `scripts/test` names in
/// `TERN_TEST_RUN_LOG`, so that the test command can show that both backends really ran.
enum TestRunLog {
    static func record(_ backend: Backend) {
        guard let path = ProcessInfo.processInfo.environment["TERN_TEST_RUN_LOG"],
            let file = fopen(path, "a")
        else { return }
        let test = Test.current.map { "\($0.sourceLocation.fileID):\($0.name)" } ?? "unknown"
        fputs("\(backend.rawValue)\t\(test)\n", file)
        fclose(file)
    }
}
