import Foundation
import Logging
import TernDatabase
import TestSupport
import Testing

@testable import TernMigrations

private func migrator(_ database: Database, _ path: String) -> Migrator {
    Migrator(database: database, directory: MigrationDirectory(path: path), logger: Logger(label: "test"))
}

/// The migrator's advisory lock key ("ternmigr" in ASCII).
private let migrationLockKey: Int64 = 0x7465_726E_6D69_6772

/// Waits until `count` sessions wait for the migration lock; `false` if they never do.
private func waitForLockWaiters(_ count: Int, on connection: DatabaseConnection) async throws -> Bool {
    for _ in 0..<1000 {
        let waiting = try await connection.queryFirst(
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted", as: Int.self)
        if waiting == count { return true }
        try await Task.sleep(for: .milliseconds(10))
    }
    return false
}

/// Runs `body` with a folder holding one migration, `0001_first`, applied to a fresh database.
private func withFirstMigrationApplied(
    _ backend: Backend, _ body: (MigrationFolder, Database, Migrator) async throws -> Void
) async throws {
    let folder = try MigrationFolder([
        "0001_first.up.sql": "CREATE TABLE first (x INTEGER);",
        "0001_first.down.sql": "DROP TABLE first;",
    ])
    defer { folder.delete() }
    try await withTestDatabase(backend) { database in
        let migrator = migrator(database, folder.path)
        try await migrator.migrate()
        try await body(folder, database, migrator)
    }
}

private func tableNames(_ database: Database) async throws -> Set<String> {
    let sql: SQL =
        database.dialect == .postgres
        ? "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public'"
        : "SELECT name FROM sqlite_master WHERE type = 'table'"
    return Set(try await database.query(sql, as: String.self))
}

@Suite("Migrations", .timeLimit(.minutes(3)))
struct MigratorTests {
    @Test("the repository's migrations apply, list, revert and apply again", arguments: Backend.allCases)
    func roundTrip(backend: Backend) async throws {
        try await withTestDatabase(backend) { database in
            let migrator = migrator(database, TestEnvironment.migrationsPath)
            let applied = try await migrator.migrate()
            #expect(applied.map(\.id).first == "0001_create_user_and_item")
            #expect(try await tableNames(database).isSuperset(of: ["user", "item", "schema_migrations"]))
            let statuses = try await migrator.status()
            #expect(statuses.allSatisfy { if case .applied = $0.state { true } else { false } })
            #expect(try await migrator.migrate().isEmpty)

            let reverted = try await migrator.revert(count: 1)
            #expect(reverted.count == 1)
            #expect(try await migrator.status().last?.state == .pending)
            #expect(try await migrator.migrate().count == 1)
        }
    }

    @Test("the first migration creates the contract's tables with their rules", arguments: Backend.allCases)
    func contractTables(backend: Backend) async throws {
        try await withTestDatabase(backend, migrated: true) { database in
            let userID = UUID()
            try await database.execute(
                """
                INSERT INTO "user" (id, email, hashed_password, full_name, created_at)
                VALUES (\(userID), \("a@example.com"), \("$argon2id$v=19$m=19456,t=2,p=1$x$y"), \(nil as String?), \(Date()))
                """)
            struct UserRow: Decodable {
                let isActive: Bool
                let isSuperuser: Bool
                let fullName: String?
            }
            let user = try #require(try await database.queryFirst(#"SELECT * FROM "user""#, as: UserRow.self))
            #expect(user.isActive && !user.isSuperuser && user.fullName == nil)
            let duplicate = await #expect(throws: DatabaseError.self) {
                try await database.execute(
                    #"INSERT INTO "user" (id, email, hashed_password) VALUES (\#(UUID()), \#("a@example.com"), 'x')"#)
            }
            #expect(duplicate?.kind == .uniqueViolation)
            try await database.execute(
                "INSERT INTO item (id, title, owner_id, created_at) VALUES (\(UUID()), \("Title"), \(userID), \(Date()))")
            let orphan = await #expect(throws: DatabaseError.self) {
                try await database.execute("INSERT INTO item (id, title, owner_id) VALUES (\(UUID()), \("x"), \(UUID()))")
            }
            #expect(orphan?.kind == .foreignKeyViolation)
            try await database.execute(#"DELETE FROM "user" WHERE id = \#(userID)"#)
            #expect(try await database.queryFirst("SELECT count(*) FROM item", as: Int.self) == 0)
        }
    }

    @Test("a dialect's variant file is used instead of the shared one", arguments: Backend.allCases)
    func dialectVariants(backend: Backend) async throws {
        let folder = try MigrationFolder([
            "0001_things.up.sql": "CREATE TABLE shared_things (x INTEGER);",
            "0001_things.up.sqlite.sql": "CREATE TABLE lite_things (x INTEGER);",
            "0001_things.down.sql": "DROP TABLE IF EXISTS shared_things; DROP TABLE IF EXISTS lite_things;",
        ])
        defer { folder.delete() }
        try await withTestDatabase(backend) { database in
            try await migrator(database, folder.path).migrate()
            let tables = try await tableNames(database)
            #expect(tables.contains(backend == .sqlite ? "lite_things" : "shared_things"))
            #expect(!tables.contains(backend == .sqlite ? "shared_things" : "lite_things"))
        }
    }

    @Test("an applied migration whose file was edited is refused", arguments: Backend.allCases)
    func editedMigration(backend: Backend) async throws {
        try await withFirstMigrationApplied(backend) { folder, database, migrator in
            try folder.write("0001_first.up.sql", "CREATE TABLE first (x INTEGER, y INTEGER);")
            try folder.write("0002_second.up.sql", "CREATE TABLE second (x INTEGER);")
            try folder.write("0002_second.down.sql", "DROP TABLE second;")
            let error = await #expect(throws: MigrationError.self) { try await migrator.migrate() }
            #expect(error.map { "\($0)" }?.contains("0001_first changed after being applied") == true)
            #expect(!(try await tableNames(database).contains("second")))
            let state = try await migrator.status().first?.state
            #expect(state.map { if case .edited = $0 { true } else { false } } == true)
            await #expect(throws: MigrationError.self) { try await migrator.revert(count: 1) }
        }
    }

    @Test("a failing migration is rolled back, named, and stops the run", arguments: Backend.allCases)
    func failedMigration(backend: Backend) async throws {
        let folder = try MigrationFolder([
            "0001_good.up.sql": "CREATE TABLE good (x INTEGER);",
            "0001_good.down.sql": "DROP TABLE good;",
            "0002_bad.up.sql": "CREATE TABLE half_done (x INTEGER);\nINSERT INTO no_such_table VALUES (1);",
            "0002_bad.down.sql": "DROP TABLE half_done;",
            "0003_later.up.sql": "CREATE TABLE later (x INTEGER);",
            "0003_later.down.sql": "DROP TABLE later;",
        ])
        defer { folder.delete() }
        try await withTestDatabase(backend) { database in
            let migrator = migrator(database, folder.path)
            let error = await #expect(throws: MigrationError.self) { try await migrator.migrate() }
            let message = error.map { "\($0)" } ?? ""
            #expect(message.contains("migration 0002_bad (up) failed and was rolled back"))
            #expect(message.contains("no_such_table"))
            let tables = try await tableNames(database)
            #expect(tables.contains("good"))
            #expect(!tables.contains("half_done"))
            #expect(!tables.contains("later"))
            #expect(try await migrator.status().map(\.state.isApplied) == [true, false, false])
        }
    }

    @Test("two migrators waiting on each other on PostgreSQL apply each migration exactly once")
    func concurrentMigrators() async throws {
        let folder = try MigrationFolder([
            "0001_first.up.sql": "CREATE TABLE first (x INTEGER);",
            "0001_first.down.sql": "DROP TABLE first;",
            "0002_counter.up.sql": "CREATE TABLE counter (x INTEGER); INSERT INTO counter VALUES (1);",
            "0002_counter.down.sql": "DROP TABLE counter;",
        ])
        defer { folder.delete() }
        try await TestDatabase.with(.postgres) { testDatabase in
            try await testDatabase.open(maxConnections: 1).closing { holder in
                try await testDatabase.open(maxConnections: 1).closing { first in
                    try await testDatabase.open(maxConnections: 1).closing { second in
                        // Hold the migration lock, so that both migrators are surely running, and waiting, at once.
                        let (applied, waitedTogether) = try await holder.withConnection { lock in
                            try await lock.execute("SELECT pg_advisory_lock(\(migrationLockKey))")
                            async let appliedByFirst = migrator(first, folder.path).migrate()
                            async let appliedBySecond = migrator(second, folder.path).migrate()
                            let waitedTogether = try await waitForLockWaiters(2, on: lock)
                            try await lock.execute("SELECT pg_advisory_unlock(\(migrationLockKey))")
                            return (try await [appliedByFirst, appliedBySecond], waitedTogether)
                        }
                        #expect(waitedTogether)
                        #expect(applied.flatMap { $0 }.map(\.id).sorted() == ["0001_first", "0002_counter"])
                        #expect(applied.contains { $0.isEmpty })
                        #expect(try await first.queryFirst("SELECT count(*) FROM counter", as: Int.self) == 1)
                        #expect(try await first.queryFirst("SELECT count(*) FROM schema_migrations", as: Int.self) == 2)
                    }
                }
            }
        }
    }

    @Test("status reads without creating anything: a fresh database stays empty", arguments: Backend.allCases)
    func statusChangesNothing(backend: Backend) async throws {
        try await withTestDatabase(backend) { database in
            let statuses = try await migrator(database, TestEnvironment.migrationsPath).status()
            #expect(!statuses.isEmpty && statuses.allSatisfy { $0.state == .pending })
            #expect(try await tableNames(database).isEmpty)
        }
    }

    @Test("an applied migration whose down file was edited is refused, as an edited up file is", arguments: Backend.allCases)
    func editedDownFile(backend: Backend) async throws {
        try await withFirstMigrationApplied(backend) { folder, database, migrator in
            try folder.write("0001_first.down.sql", "DROP TABLE first; DROP TABLE everything_else;")
            let error = await #expect(throws: MigrationError.self) { try await migrator.revert(count: 1) }
            #expect(error.map { "\($0)" }?.contains("0001_first changed after being applied") == true)
            #expect(try await tableNames(database).contains("first"))
            let state = try await migrator.status().first?.state
            #expect(state.map { if case .edited = $0 { true } else { false } } == true)
        }
    }

    @Test("a history from before down checksums is read, and completed by the next migrate", arguments: Backend.allCases)
    func historyWithoutDownChecksums(backend: Backend) async throws {
        try await withFirstMigrationApplied(backend) { folder, database, migrator in
            // The table as the previous version made it: no down_checksum column.
            try await database.execute("CREATE TABLE old_history AS SELECT version, name, checksum, applied_at FROM schema_migrations")
            try await database.execute("DROP TABLE schema_migrations")
            try await database.execute("ALTER TABLE old_history RENAME TO schema_migrations")
            #expect(try await migrator.status().first?.state.isApplied == true)

            #expect(try await migrator.migrate().isEmpty)
            let recorded = try await database.queryFirst("SELECT down_checksum FROM schema_migrations", as: String?.self)
            #expect(recorded??.count == 64)
        }
    }

    @Test("an applied migration whose file is gone stops the run", arguments: Backend.allCases)
    func missingAppliedFile(backend: Backend) async throws {
        try await withFirstMigrationApplied(backend) { folder, database, migrator in
            try folder.remove("0001_first.up.sql")
            try folder.remove("0001_first.down.sql")
            let error = await #expect(throws: MigrationError.self) { try await migrator.migrate() }
            #expect(error.map { "\($0)" }?.contains("0001_first no longer has a file") == true)
            #expect(try await migrator.status().first?.state.isApplied == true)
        }
    }
}

extension MigrationStatus.State {
    var isApplied: Bool {
        switch self {
        case .applied, .edited, .fileMissing: true
        case .pending: false
        }
    }
}
