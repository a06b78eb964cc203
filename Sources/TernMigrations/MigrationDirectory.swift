import Crypto
import Foundation
import TernDatabase

/// The `Migrations/` folder: reads the migrations for one dialect, and adds new ones.
public struct MigrationDirectory: Sendable {
    /// The folder's path, as given.
    public let path: String

    public init(path: String) {
        self.path = path
    }

    /// Every migration in version order, using a dialect's variant files where they exist.
    public func migrations(for dialect: SQLDialect) throws -> [Migration] {
        var byVersion: [Int: [MigrationFileName: String]] = [:]
        for file in try fileNames() where file.hasSuffix(".sql") {
            guard let parsed = MigrationFileName(file),
                parsed.dialect == nil || SQLDialect(rawValue: parsed.dialect!) != nil
            else {
                throw MigrationError.badFileName(file)
            }
            byVersion[parsed.version, default: [:]][parsed] = file
        }
        return try byVersion.keys.sorted().map { version in
            try migration(version: version, files: byVersion[version]!, dialect: dialect)
        }
    }

    /// Writes empty up and down files for a new migration numbered after the last one; returns their paths.
    public func create(name rawName: String) throws -> (up: String, down: String) {
        let name = rawName.lowercased().map { $0 == " " || $0 == "-" ? "_" : $0 }.reduce(into: "") { $0.append($1) }
        guard MigrationFileName.isValidName(name) else { throw MigrationError.badName(rawName) }
        let last = try fileNames().compactMap { MigrationFileName($0)?.version }.max() ?? 0
        let version = last + 1
        let id = MigrationFileName.id(version: version, name: name)
        let up = (path as NSString).appendingPathComponent(MigrationFileName.fileName(version: version, name: name, direction: .up))
        let down = (path as NSString).appendingPathComponent(MigrationFileName.fileName(version: version, name: name, direction: .down))
        try "-- \(id): apply the change. Runs in one transaction, on PostgreSQL and SQLite.\n\n"
            .write(toFile: up, atomically: true, encoding: .utf8)
        try "-- \(id): undo what the up file did.\n\n".write(toFile: down, atomically: true, encoding: .utf8)
        return (up, down)
    }

    private func fileNames() throws -> [String] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw MigrationError.directoryNotFound(path: path)
        }
        return try FileManager.default.contentsOfDirectory(atPath: path)
    }

    private func migration(version: Int, files: [MigrationFileName: String], dialect: SQLDialect) throws -> Migration {
        let names = Set(files.keys.map(\.name))
        guard names.count == 1, let name = names.first else {
            throw MigrationError.duplicateVersion(version, files.values.sorted())
        }
        func text(_ direction: MigrationFileName.Direction) throws -> String {
            let candidates = files.filter { $0.key.direction == direction }
            let chosen =
                candidates.first(where: { $0.key.dialect == dialect.rawValue })
                ?? candidates.first(where: { $0.key.dialect == nil })
            guard let file = chosen?.value else {
                throw MigrationError.missingFile(
                    migration: MigrationFileName.id(version: version, name: name), direction: direction.rawValue,
                    dialect: dialect.rawValue)
            }
            return try String(contentsOfFile: (path as NSString).appendingPathComponent(file), encoding: .utf8)
        }
        let up = try text(.up)
        let down = try text(.down)
        return Migration(
            version: version, name: name, up: SQLScript(up), down: SQLScript(down), checksum: Self.checksum(up),
            downChecksum: Self.checksum(down))
    }

    /// SHA-256 in lowercase hex.
    private static func checksum(_ text: String) -> String {
        SHA256.hash(data: Data(text.utf8)).map { String(format: "%02x", $0) }.joined()
    }
}
