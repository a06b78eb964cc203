import Foundation
import TernDatabase
import TestSupport
import Testing

@testable import TernMigrations

@Suite("Migration files", .timeLimit(.minutes(5)))
struct MigrationDirectoryTests {
    @Test("a missing folder is a clear error")
    func missingFolder() {
        let error = #expect(throws: MigrationError.self) {
            try MigrationDirectory(path: "/no/such/Migrations").migrations(for: .sqlite)
        }
        #expect(error.map { "\($0)" }?.contains("migrations folder '/no/such/Migrations' not found") == true)
    }

    @Test("files are read in version order, with checksums of the up file")
    func ordering() throws {
        let folder = try MigrationFolder([
            "0010_tenth.up.sql": "SELECT 10;", "0010_tenth.down.sql": "SELECT -10;",
            "0002_second.up.sql": "SELECT 2;", "0002_second.down.sql": "SELECT -2;",
            "README.md": "not a migration",
        ])
        defer { folder.delete() }
        let migrations = try MigrationDirectory(path: folder.path).migrations(for: .postgres)
        #expect(migrations.map(\.id) == ["0002_second", "0010_tenth"])
        #expect(migrations[0].up.text == "SELECT 2;")
        #expect(migrations[0].checksum.count == 64)
        #expect(migrations[0].checksum != migrations[1].checksum)
    }

    @Test(
        "malformed folders are refused with the offending file named",
        arguments: [
            (["1_Bad-Name.up.sql": ""], "'1_Bad-Name.up.sql' is not a migration file name"),
            (["0001_a.sideways.sql": ""], "'0001_a.sideways.sql' is not a migration file name"),
            (["0001_a.up.mysql.sql": ""], "'0001_a.up.mysql.sql' is not a migration file name"),
            (
                ["0001_a.up.sql": "", "0001_a.down.sql": "", "0001_b.up.sql": "", "0001_b.down.sql": ""],
                "version 1 is used by more than one migration"
            ),
            (["0001_a.up.sql": ""], "migration 0001_a has no down file for sqlite"),
            (["0001_a.down.sql": "", "0001_a.up.postgres.sql": ""], "migration 0001_a has no up file for sqlite"),
        ])
    func malformed(files: [String: String], message: String) throws {
        let folder = try MigrationFolder(files)
        defer { folder.delete() }
        let error = #expect(throws: MigrationError.self) {
            try MigrationDirectory(path: folder.path).migrations(for: .sqlite)
        }
        #expect(error.map { "\($0)" }?.contains(message) == true, "\(String(describing: error))")
    }

    @Test("create numbers the new migration after the last and normalises its name")
    func create() throws {
        let folder = try MigrationFolder(["0007_existing.up.sql": "", "0007_existing.down.sql": ""])
        defer { folder.delete() }
        let created = try MigrationDirectory(path: folder.path).create(name: "Add item-price")
        #expect(created.up.hasSuffix("/0008_add_item_price.up.sql"))
        #expect(created.down.hasSuffix("/0008_add_item_price.down.sql"))
        #expect(try folder.files().contains("0008_add_item_price.up.sql"))
        #expect(try MigrationDirectory(path: folder.path).migrations(for: .sqlite).map(\.version) == [7, 8])
        #expect(throws: MigrationError.self) { try MigrationDirectory(path: folder.path).create(name: "drop; table") }
    }
}
