import Foundation
import TestSupport
import Testing

@testable import TernDatabase

@Suite("Typed errors", .timeLimit(.minutes(5)))
struct ErrorTests {
    private func schema(_ database: Database) async throws {
        try await database.execute("CREATE TABLE parent (id INTEGER PRIMARY KEY, email VARCHAR(20) NOT NULL UNIQUE)")
        try await database.execute(
            "CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id INTEGER NOT NULL REFERENCES parent (id), age INTEGER CHECK (age >= 0))")
        try await database.execute("INSERT INTO parent (id, email) VALUES (\(1), \("a@example.com"))")
    }

    private func kind(_ body: () async throws -> Void) async -> DatabaseError.Kind? {
        do {
            try await body()
            return nil
        } catch let error as DatabaseError {
            return error.kind
        } catch {
            return .other
        }
    }

    @Test("constraint violations are classified", arguments: Backend.allCases)
    func constraints(backend: Backend) async throws {
        try await withTestDatabase(backend) { database in
            try await schema(database)
            #expect(
                await kind { try await database.execute("INSERT INTO parent (id, email) VALUES (\(2), \("a@example.com"))") }
                    == .uniqueViolation)
            #expect(
                await kind { try await database.execute("INSERT INTO parent (id, email) VALUES (\(1), \("b@example.com"))") }
                    == .uniqueViolation)
            #expect(
                await kind { try await database.execute("INSERT INTO child (id, parent_id) VALUES (\(1), \(99))") } == .foreignKeyViolation)
            #expect(await kind { try await database.execute("INSERT INTO parent (id) VALUES (\(3))") } == .notNullViolation)
            #expect(
                await kind { try await database.execute("INSERT INTO child (id, parent_id, age) VALUES (\(2), \(1), \(-1))") }
                    == .checkViolation)
            #expect(await kind { try await database.execute("SELECT * FROM no_such_table") } == .other)
        }
    }

    @Test("the unique violation names its constraint, and the message quotes no values")
    func uniqueDetails() async throws {
        try await withTestDatabase(.postgres) { database in
            try await schema(database)
            let error = await #expect(throws: DatabaseError.self) {
                try await database.execute("INSERT INTO parent (id, email) VALUES (\(2), \("a@example.com"))")
            }
            #expect(error?.code == "23505")
            #expect(error?.constraint == "parent_email_key")
            #expect(error?.message.contains("a@example.com") == false)
        }
    }

    @Test("a statement outside a transaction that fails at its commit (a deferred constraint) throws, and stored nothing")
    func failureAtImplicitCommit() async throws {
        try await withTestDatabase(.postgres) { database in
            try await database.execute("CREATE TABLE thing (id INTEGER PRIMARY KEY)")
            try await database.execute(
                "CREATE FUNCTION refuse_thing() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'refused at commit'; END $$")
            try await database.execute(
                """
                CREATE CONSTRAINT TRIGGER refuse_things AFTER INSERT ON thing
                DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION refuse_thing()
                """)
            await #expect(throws: DatabaseError.self) {
                try await database.queryFirst("INSERT INTO thing (id) VALUES (\(1)) RETURNING id", as: Int.self)
            }
            #expect(try await database.queryFirst("SELECT count(*) FROM thing", as: Int.self) == 0)
        }
    }

    @Test("values the column cannot hold are invalidValue, not a crash")
    func invalidValues() async throws {
        try await withTestDatabase(.postgres) { database in
            try await schema(database)
            #expect(
                await kind {
                    try await database.execute("INSERT INTO parent (id, email) VALUES (\(5), \(String(repeating: "x", count: 21)))")
                } == .invalidValue)
            #expect(
                await kind { try await database.execute("INSERT INTO parent (id, email) VALUES (\(6), \("nul\u{0}byte"))") }
                    == .invalidValue)
            #expect(await kind { _ = try await database.query("SELECT CAST(\("not-a-uuid") AS uuid)") } == .invalidValue)
        }
    }

    @Test("serialization failures are classified on PostgreSQL")
    func serializationFailure() async throws {
        try await withTestDatabase(.postgres, maxConnections: 2) { database in
            try await database.execute("CREATE TABLE account (id INTEGER PRIMARY KEY, balance INTEGER NOT NULL)")
            try await database.execute("INSERT INTO account VALUES (1, 100)")
            let error = await #expect(throws: DatabaseError.self) {
                try await database.transaction { first in
                    try await first.execute("SET TRANSACTION ISOLATION LEVEL SERIALIZABLE")
                    _ = try await first.query("SELECT balance FROM account WHERE id = 1")
                    try await database.transaction { second in
                        try await second.execute("SET TRANSACTION ISOLATION LEVEL SERIALIZABLE")
                        try await second.execute("UPDATE account SET balance = balance + 1 WHERE id = 1")
                    }
                    try await first.execute("UPDATE account SET balance = balance - 1 WHERE id = 1")
                }
            }
            #expect(error?.kind == .serializationFailure)
            #expect(error?.isTransient == true)
        }
    }

    @Test("a lock held by another process is a transient serialization failure on SQLite")
    func sqliteBusy() async throws {
        let testDatabase = try await TestDatabase.create(.sqlite)
        defer { Task { await testDatabase.drop() } }
        let holder = testDatabase.open()
        let other = Database(DatabaseConfiguration(url: testDatabase.url, sqliteBusyTimeout: .milliseconds(50)))
        try await holder.execute("CREATE TABLE counter (value INTEGER)")
        let error = await #expect(throws: DatabaseError.self) {
            try await holder.transaction { transaction in
                try await transaction.execute("INSERT INTO counter VALUES (1)")
                try await other.execute("INSERT INTO counter VALUES (2)")
            }
        }
        #expect(error?.kind == .serializationFailure)
        await holder.close()
        await other.close()
    }

    @Test("a connection killed mid-transaction is connectionLost, and the pool recovers")
    func connectionLost() async throws {
        try await withTestDatabase(.postgres, maxConnections: 1) { database in
            let admin = testAdmin()
            let error = await #expect(throws: DatabaseError.self) {
                try await database.transaction { transaction in
                    let pid = try #require(try await transaction.queryFirst("SELECT pg_backend_pid()", as: Int.self))
                    // With a timeout, pg_terminate_backend waits until the backend has exited.
                    try await admin.execute("SELECT pg_terminate_backend(\(pid), 10000)")
                    _ = try await transaction.query("SELECT 1")
                }
            }
            #expect(error?.kind == .connectionLost)
            let answer = try await database.queryFirst("SELECT 41 + 1", as: Int.self)
            #expect(answer == 42)
            await admin.close()
        }
    }

    @Test("connections the server dropped while idle are replaced before use")
    func idleConnectionsDropped() async throws {
        try await withTestDatabase(.postgres, maxConnections: 3) { database in
            // Open three connections, then have the server terminate all of them while idle.
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<3 { group.addTask { _ = try await database.query("SELECT pg_sleep(0.05)") } }
                try await group.waitForAll()
            }
            let admin = testAdmin()
            let name = try #require(try await database.queryFirst("SELECT current_database()", as: String.self))
            // With a timeout, pg_terminate_backend waits until each backend has exited.
            let terminated = try await admin.query(
                "SELECT pg_terminate_backend(pid, 10000) FROM pg_stat_activity WHERE datname = \(name) AND pid <> pg_backend_pid()")
            #expect(terminated.count >= 1)
            for _ in 0..<6 {
                #expect(try await database.queryFirst("SELECT 1", as: Int.self) == 1)
            }
            await admin.close()
        }
    }

    private func testAdmin() -> Database {
        Database(DatabaseConfiguration(url: try! DatabaseURL(TestEnvironment.postgresURL()), maxConnections: 1))
    }
}
