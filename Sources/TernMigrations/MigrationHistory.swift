import Foundation
import TernDatabase

/// A row of `schema_migrations`: a migration that was applied, and the checksums its files had then.
public struct AppliedMigration: Sendable, Hashable, Decodable {
    public let version: Int
    public let name: String
    /// SHA-256 of the up file.
    public let checksum: String
    /// SHA-256 of the down file; `nil` for migrations applied before down files were checksummed,
    /// until the next `migrate` records it.
    public let downChecksum: String?
    public let appliedAt: Date
}

/// Reads and writes the `schema_migrations` table.
///
/// Only commands that hold the migration lock create or change the table; reading the history
/// (`migrate status`, the check `serve` makes at start) changes nothing, so a `serve` starting while
/// `migrate` runs cannot collide with it.
enum MigrationHistory {
    /// Creates the table, or adds the columns later versions need; call with the migration lock held.
    static func createTable(on connection: DatabaseConnection) async throws {
        let appliedAtType: SQL = connection.dialect == .postgres ? "TIMESTAMPTZ" : "TEXT"
        try await connection.transaction { transaction in
            try await transaction.execute(
                """
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    version BIGINT PRIMARY KEY,
                    name VARCHAR(255) NOT NULL,
                    checksum VARCHAR(64) NOT NULL,
                    down_checksum VARCHAR(64),
                    applied_at \(appliedAtType) NOT NULL
                )
                """)
            if try await !columns(on: transaction).contains("down_checksum") {
                try await transaction.execute("ALTER TABLE schema_migrations ADD COLUMN down_checksum VARCHAR(64)")
            }
        }
    }

    /// Every applied migration, in version order; none when the table does not exist yet.
    static func applied(on connection: some Queryable) async throws -> [AppliedMigration] {
        guard try await !columns(on: connection).isEmpty else { return [] }
        // `*`, so that a table from before `down_checksum` reads too (as `nil`).
        return try await connection.query("SELECT * FROM schema_migrations ORDER BY version", as: AppliedMigration.self)
    }

    /// The columns of `schema_migrations`; none when the table does not exist.
    private static func columns(on connection: some Queryable) async throws -> Set<String> {
        let sql: SQL =
            connection.dialect == .postgres
            ? """
            SELECT column_name FROM information_schema.columns
            WHERE table_schema = current_schema() AND table_name = 'schema_migrations'
            """
            : "SELECT name FROM pragma_table_info('schema_migrations')"
        return Set(try await connection.query(sql, as: String.self))
    }

    /// Records the down file's checksum of a migration applied before down files were checksummed.
    static func recordDownChecksum(_ migration: Migration, on connection: some Queryable) async throws {
        try await connection.execute(
            """
            UPDATE schema_migrations SET down_checksum = \(migration.downChecksum)
            WHERE version = \(migration.version) AND down_checksum IS NULL
            """)
    }

    static func isApplied(_ version: Int, on connection: some Queryable) async throws -> Bool {
        try await connection.queryFirst(
            "SELECT 1 AS found FROM schema_migrations WHERE version = \(version)", as: Int.self) != nil
    }

    static func record(_ migration: Migration, on connection: some Queryable) async throws {
        try await connection.execute(
            """
            INSERT INTO schema_migrations (version, name, checksum, down_checksum, applied_at)
            VALUES (\(migration.version), \(migration.name), \(migration.checksum), \(migration.downChecksum), \(Date()))
            """)
    }

    static func remove(_ migration: Migration, on connection: some Queryable) async throws {
        try await connection.execute("DELETE FROM schema_migrations WHERE version = \(migration.version)")
    }
}
