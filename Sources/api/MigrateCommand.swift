import App
import AppCommandLine
import ArgumentParser
import Foundation
import TernDatabase
import TernMigrations

/// `api migrate [status | down [N] | create NAME]`
struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Apply, list, revert or create SQL migrations (see Migrations/).",
        subcommands: [Up.self, Status.self, Down.self, Create.self],
        defaultSubcommand: Up.self)

    /// `api migrate`: apply every pending migration.
    struct Up: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "up", abstract: "Apply every pending migration, each in its own transaction.")

        func run() async throws {
            try await MigrationRunner.run { migrator, settings in
                let applied = try await migrator.migrate()
                print(applied.isEmpty ? "No pending migrations." : applied.map { "Applied \($0.id)" }.joined(separator: "\n"))
            }
        }
    }

    /// `api migrate status`: list migrations and whether each is applied.
    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "status", abstract: "List every migration and whether it is applied.")

        func run() async throws {
            try await MigrationRunner.run { migrator, settings in
                print("Migrations in \(settings.migrationsDirectory) on \(settings.database.url.redacted):")
                print(MigrationReport.table(try await migrator.status()))
            }
        }
    }

    /// `api migrate down [N]`: revert the last N applied migrations.
    struct Down: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "down", abstract: "Revert the most recently applied migrations, newest first.")

        @Argument(help: "How many migrations to revert.")
        var count: Int = 1

        func validate() throws {
            guard count >= 1 else { throw ValidationError("N must be at least 1.") }
        }

        func run() async throws {
            try await MigrationRunner.run { migrator, settings in
                let reverted = try await migrator.revert(count: count)
                print(reverted.isEmpty ? "No applied migrations to revert." : reverted.map { "Reverted \($0.id)" }.joined(separator: "\n"))
            }
        }
    }

    /// `api migrate create NAME`: add empty up and down files.
    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "create", abstract: "Create the up and down files of a new migration.")

        @Argument(help: "What the migration does, e.g. add_item_price.")
        var name: String

        func run() async throws {
            let settings = try SettingsLoader.load()
            try await SettingsLoader.reportingFailure {
                let files = try MigrationDirectory(path: settings.migrationsDirectory).create(name: name)
                print("Created \(files.up)\nCreated \(files.down)")
            }
        }
    }
}

/// Opens the database for a migration command, waits for it, runs the command, and closes it.
enum MigrationRunner {
    static func run(_ body: (Migrator, Settings) async throws -> Void) async throws {
        let settings = try SettingsLoader.load()
        let logger = SettingsLoader.logger(settings)
        try await SettingsLoader.reportingFailure {
            var configuration = settings.database
            configuration.maxConnections = 1
            let database = Database(configuration, logger: logger)
            do {
                try await database.waitUntilReachable(timeout: settings.databaseStartupTimeout)
                let migrator = Migrator(
                    database: database, directory: MigrationDirectory(path: settings.migrationsDirectory), logger: logger)
                try await body(migrator, settings)
                await database.close()
            } catch {
                await database.close()
                throw error
            }
        }
    }
}
