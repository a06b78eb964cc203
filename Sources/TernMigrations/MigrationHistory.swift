import Foundation
import TernDatabase

/// A row of `schema_migrations`: a migration that was applied, and the checksum it had then.
public struct AppliedMigration: Sendable, Hashable, Decodable {
    public let version: Int
    public let name: String
    public let checksum: String
    public let appliedAt: Date
}

/// Reads and writes the `schema_migrations` table.
enum MigrationHistory {
    static func createTable(on connection: some Queryable) async throws {
        let appliedAtType: SQL = connection.dialect == .postgres ? "TIMESTAMPTZ" : "TEXT"
        try await connection.execute(
            """
            CREATE TABLE IF NOT EXISTS schema_migrations (
                version BIGINT PRIMARY KEY,
                name VARCHAR(255) NOT NULL,
                checksum VARCHAR(64) NOT NULL,
                applied_at \(appliedAtType) NOT NULL
            )
            """)
    }

    static func applied(on connection: some Queryable) async throws -> [AppliedMigration] {
        try await connection.query(
            "SELECT version, name, checksum, applied_at FROM schema_migrations ORDER BY version",
            as: AppliedMigration.self)
    }

    static func isApplied(_ version: Int, on connection: some Queryable) async throws -> Bool {
        try await connection.queryFirst(
            "SELECT 1 AS found FROM schema_migrations WHERE version = \(version)", as: Int.self) != nil
    }

    static func record(_ migration: Migration, on connection: some Queryable) async throws {
        try await connection.execute(
            """
            INSERT INTO schema_migrations (version, name, checksum, applied_at)
            VALUES (\(migration.version), \(migration.name), \(migration.checksum), \(Date()))
            """)
    }

    static func remove(_ migration: Migration, on connection: some Queryable) async throws {
        try await connection.execute("DELETE FROM schema_migrations WHERE version = \(migration.version)")
    }
}
