import Foundation
import TernDatabase
import TernMigrations
import TestSupport
import Testing

@Suite("api migrate", .timeLimit(.minutes(5)))
struct MigrateCommandTests {
    @Test("status lists migrations; down then migrate round-trips", arguments: Backend.allCases)
    func roundTrip(backend: Backend) async throws {
        let ids = try repositoryMigrationIDs()
        try #require(ids.count >= 2)
        try await TestDatabase.with(backend) { testDatabase in
            let api = try APIProcess(environment: ["DATABASE_URL": testDatabase.url.string])
            defer { api.delete() }

            let pending = try await api.run(["migrate", "status"])
            #expect(pending.status == 0)
            #expect(states(in: pending.output) == ids.map { _ in "pending" })

            let applied = try await api.run(["migrate"])
            #expect(applied.status == 0, "\(applied.errorOutput)")
            #expect(applied.output == ids.map { "Applied \($0)\n" }.joined())
            #expect(states(in: try await api.run(["migrate", "status"]).output) == ids.map { _ in "applied" })

            let down = try await api.run(["migrate", "down", "2"])
            #expect(down.status == 0)
            #expect(down.output == ids.suffix(2).reversed().map { "Reverted \($0)\n" }.joined())
            #expect(states(in: try await api.run(["migrate", "status"]).output).suffix(2) == ["pending", "pending"])

            let again = try await api.run(["migrate", "up"])
            #expect(again.status == 0)
            #expect(again.output == ids.suffix(2).map { "Applied \($0)\n" }.joined())
            #expect(try await api.run(["migrate"]).output.contains("No pending migrations."))
        }
    }

    @Test("two migrate processes started at once on PostgreSQL: one applies, the other finds nothing to do")
    func concurrentProcesses() async throws {
        try await TestDatabase.with(.postgres) { testDatabase in
            let api = try APIProcess(environment: ["DATABASE_URL": testDatabase.url.string])
            defer { api.delete() }
            async let first = api.run(["migrate"])
            async let second = api.run(["migrate"])
            let results = try await [first, second]
            #expect(results.allSatisfy { $0.status == 0 }, "\(results.map(\.errorOutput))")
            #expect(results.filter { $0.output.contains("Applied 0001_create_user_and_item") }.count == 1)
            #expect(results.filter { $0.output.contains("No pending migrations.") }.count == 1)
            try await testDatabase.open().closing { database in
                let recorded = try await database.queryFirst("SELECT count(*) FROM schema_migrations", as: Int.self)
                #expect(recorded == (try repositoryMigrationIDs()).count)
            }
        }
    }

    @Test("a missing migrations folder is a clear error")
    func missingFolder() async throws {
        let api = try APIProcess(environment: ["MIGRATIONS_DIR": "/no/such/folder"])
        defer { api.delete() }
        let result = try await api.run(["migrate"])
        #expect(result.status == 1)
        #expect(result.errorOutput.contains("error: migrations folder '/no/such/folder' not found"))
        #expect(!result.errorOutput.contains("Fatal error"))
    }

    @Test("an edited applied migration is refused and named")
    func editedMigration() async throws {
        let folder = try MigrationFolder(["0001_a.up.sql": "CREATE TABLE a (x INTEGER);", "0001_a.down.sql": "DROP TABLE a;"])
        defer { folder.delete() }
        let api = try APIProcess(environment: ["MIGRATIONS_DIR": folder.path])
        defer { api.delete() }
        #expect(try await api.run(["migrate"]).status == 0)
        try folder.write("0001_a.up.sql", "CREATE TABLE a (x INTEGER, y INTEGER);")
        let result = try await api.run(["migrate"])
        #expect(result.status == 1)
        #expect(result.errorOutput.contains("applied migration 0001_a changed after being applied"))
        #expect(try await api.run(["migrate", "status"]).output.contains("EDITED SINCE"))
    }

    @Test("a failing migration exits non-zero, named and rolled back")
    func failedMigration() async throws {
        let folder = try MigrationFolder([
            "0001_broken.up.sql": "CREATE TABLE a (x INTEGER); INSERT INTO missing VALUES (1);",
            "0001_broken.down.sql": "DROP TABLE a;",
        ])
        defer { folder.delete() }
        let api = try APIProcess(environment: ["MIGRATIONS_DIR": folder.path])
        defer { api.delete() }
        let result = try await api.run(["migrate"])
        #expect(result.status == 1)
        #expect(result.errorOutput.contains("error: migration 0001_broken (up) failed and was rolled back"))
        #expect(states(in: try await api.run(["migrate", "status"]).output) == ["pending"])
    }

    @Test("create writes the up and down files of the next version")
    func create() async throws {
        let folder = try MigrationFolder()
        defer { folder.delete() }
        let api = try APIProcess(environment: ["MIGRATIONS_DIR": folder.path])
        defer { api.delete() }
        let result = try await api.run(["migrate", "create", "add item price"])
        #expect(result.status == 0)
        #expect(result.output.contains("0001_add_item_price.up.sql"))
        #expect(try folder.files() == ["0001_add_item_price.down.sql", "0001_add_item_price.up.sql"])
    }

    @Test("a password with a stray % in DATABASE_URL is refused without being printed")
    func malformedPassword() async throws {
        let api = try APIProcess(environment: ["DATABASE_URL": "postgres://tern:hun%zzter2@127.0.0.1/tern"])
        defer { api.delete() }
        let result = try await api.run(["migrate"])
        #expect(result.status == 2)
        #expect(result.errorOutput.contains("DATABASE_URL"), "\(result.errorOutput)")
        #expect(!result.errorOutput.contains("hun%zz") && !result.errorOutput.contains("zzter2"), "\(result.errorOutput)")
    }

    @Test("an unreachable database is retried with backoff, then reported without its password")
    func unreachableDatabase() async throws {
        // Nothing listens on port 1.
        let port = 1
        let api = try APIProcess(environment: [
            "DATABASE_URL": "postgres://tern:hunter2@127.0.0.1:\(port)/tern", "DATABASE_STARTUP_TIMEOUT": "1.5",
        ])
        defer { api.delete() }
        let result = try await api.run(["migrate"])
        #expect(result.status == 1)
        #expect(result.errorOutput.contains("could not reach the database at postgres://tern:***@127.0.0.1:\(port)/tern after"))
        #expect(result.errorOutput.contains("retrying"))
        #expect(!result.errorOutput.contains("hunter2"))
    }
}

/// The ids of the repository's migrations, in order.
private func repositoryMigrationIDs() throws -> [String] {
    try MigrationDirectory(path: TestEnvironment.migrationsPath).migrations(for: .sqlite).map(\.id)
}

/// The state column of `migrate status` (`pending`, `applied`, ...), one per migration line.
private func states(in output: String) -> [String] {
    output.split(separator: "\n").dropFirst().compactMap { line in
        line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first.map(String.init)
    }
}
