import Logging
import TernDatabase

/// Applies and reverts the migrations of a ``MigrationDirectory`` on a `Database`.
///
/// - Each migration runs in its own transaction, together with its `schema_migrations` row: it is
///   applied completely or not at all.
/// - On PostgreSQL the whole run holds an advisory lock, so two `migrate` processes started at once
///   take turns and the second finds nothing left to do. On SQLite each migration's transaction
///   takes the write lock (`BEGIN IMMEDIATE`) and checks again that the migration is still pending.
/// - Before anything runs, every applied migration's up and down files are compared with the
///   checksums recorded when it was applied; an edited or missing file stops the run.
/// - ``status()`` only reads: it never creates the history table, so it is safe while another
///   process migrates.
public struct Migrator: Sendable {
    private let database: Database
    private let directory: MigrationDirectory
    private let logger: Logger

    /// An arbitrary, fixed key for `pg_advisory_lock`: "ternmigr" in ASCII.
    private static let advisoryLockKey: Int64 = 0x7465_726E_6D69_6772

    public init(database: Database, directory: MigrationDirectory, logger: Logger) {
        self.database = database
        self.directory = directory
        self.logger = logger
    }

    /// Every migration, applied or not, plus applied ones whose file is gone, in version order.
    public func status() async throws -> [MigrationStatus] {
        let migrations = try directory.migrations(for: database.dialect)
        let applied = try await MigrationHistory.applied(on: database)
        return Self.statuses(migrations: migrations, applied: applied)
    }

    /// Applies every pending migration in version order; returns those applied by this call.
    @discardableResult
    public func migrate() async throws -> [Migration] {
        let migrations = try directory.migrations(for: database.dialect)
        return try await withMigrationLock { connection in
            let applied = try await MigrationHistory.applied(on: connection)
            try Self.checkIntegrity(Self.statuses(migrations: migrations, applied: applied))
            try await Self.recordMissingDownChecksums(migrations: migrations, applied: applied, on: connection)
            let appliedVersions = Set(applied.map(\.version))
            var appliedNow: [Migration] = []
            for migration in migrations where !appliedVersions.contains(migration.version) {
                let didApply = try await run(migration, direction: "up", on: connection) { transaction in
                    guard try await !MigrationHistory.isApplied(migration.version, on: transaction) else { return false }
                    try await transaction.execute(migration.up)
                    try await MigrationHistory.record(migration, on: transaction)
                    return true
                }
                if didApply {
                    logger.debug("applied migration \(migration.id)")
                    appliedNow.append(migration)
                }
            }
            return appliedNow
        }
    }

    /// Reverts the `count` most recently applied migrations, newest first; returns those reverted.
    @discardableResult
    public func revert(count: Int) async throws -> [Migration] {
        let migrations = try directory.migrations(for: database.dialect)
        let byVersion = Dictionary(uniqueKeysWithValues: migrations.map { ($0.version, $0) })
        return try await withMigrationLock { connection in
            let applied = try await MigrationHistory.applied(on: connection)
            try Self.checkIntegrity(Self.statuses(migrations: migrations, applied: applied))
            var reverted: [Migration] = []
            for record in applied.reversed().prefix(max(0, count)) {
                guard let migration = byVersion[record.version] else { continue }
                let didRevert = try await run(migration, direction: "down", on: connection) { transaction in
                    guard try await MigrationHistory.isApplied(migration.version, on: transaction) else { return false }
                    try await transaction.execute(migration.down)
                    try await MigrationHistory.remove(migration, on: transaction)
                    return true
                }
                if didRevert {
                    logger.debug("reverted migration \(migration.id)")
                    reverted.append(migration)
                }
            }
            return reverted
        }
    }

    // MARK: Internals

    private func run(
        _ migration: Migration, direction: String, on connection: DatabaseConnection,
        _ body: (Transaction) async throws -> Bool
    ) async throws -> Bool {
        do {
            return try await connection.transaction(body)
        } catch {
            throw MigrationError.failed(migration: migration.id, direction: direction, underlying: error)
        }
    }

    /// Runs `body` on one connection, holding PostgreSQL's advisory lock for the whole run, with the
    /// history table in place.
    private func withMigrationLock<T>(_ body: (DatabaseConnection) async throws -> T) async throws -> T {
        try await database.withConnection(.readWrite) { connection in
            guard connection.dialect == .postgres else {
                try await MigrationHistory.createTable(on: connection)
                return try await body(connection)
            }
            try await connection.execute("SELECT pg_advisory_lock(\(Self.advisoryLockKey))")
            do {
                try await MigrationHistory.createTable(on: connection)
                let result = try await body(connection)
                try await connection.execute("SELECT pg_advisory_unlock(\(Self.advisoryLockKey))")
                return result
            } catch {
                // If the connection broke, the lock went with its session.
                _ = try? await connection.execute("SELECT pg_advisory_unlock(\(Self.advisoryLockKey))")
                throw error
            }
        }
    }

    static func statuses(migrations: [Migration], applied: [AppliedMigration]) -> [MigrationStatus] {
        let appliedByVersion = Dictionary(uniqueKeysWithValues: applied.map { ($0.version, $0) })
        let fileVersions = Set(migrations.map(\.version))
        var statuses = migrations.map { migration -> MigrationStatus in
            let state: MigrationStatus.State
            if let record = appliedByVersion[migration.version] {
                let unchanged =
                    record.checksum == migration.checksum && (record.downChecksum ?? migration.downChecksum) == migration.downChecksum
                state = unchanged ? .applied(at: record.appliedAt) : .edited(appliedAt: record.appliedAt)
            } else {
                state = .pending
            }
            return MigrationStatus(version: migration.version, name: migration.name, state: state)
        }
        for record in applied where !fileVersions.contains(record.version) {
            statuses.append(MigrationStatus(version: record.version, name: record.name, state: .fileMissing(appliedAt: record.appliedAt)))
        }
        return statuses.sorted { $0.version < $1.version }
    }

    /// Migrations applied before down files were checksummed get their down file's checksum now.
    private static func recordMissingDownChecksums(
        migrations: [Migration], applied: [AppliedMigration], on connection: DatabaseConnection
    ) async throws {
        let unrecorded = Set(applied.filter { $0.downChecksum == nil }.map(\.version))
        for migration in migrations where unrecorded.contains(migration.version) {
            try await MigrationHistory.recordDownChecksum(migration, on: connection)
        }
    }

    private static func checkIntegrity(_ statuses: [MigrationStatus]) throws {
        let edited = statuses.filter { if case .edited = $0.state { true } else { false } }
        if !edited.isEmpty { throw MigrationError.edited(edited.map(\.id)) }
        let missing = statuses.filter { if case .fileMissing = $0.state { true } else { false } }
        if !missing.isEmpty { throw MigrationError.missingApplied(missing.map(\.id)) }
    }
}
