import Foundation

/// A temporary migrations folder that a test fills with files.
public struct MigrationFolder: Sendable {
    public let path: String

    public init(_ files: [String: String] = [:]) throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("migrations-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        for (name, contents) in files { try write(name, contents) }
    }

    public func write(_ name: String, _ contents: String) throws {
        try contents.write(toFile: (path as NSString).appendingPathComponent(name), atomically: true, encoding: .utf8)
    }

    public func remove(_ name: String) throws {
        try FileManager.default.removeItem(atPath: (path as NSString).appendingPathComponent(name))
    }

    public func files() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: path).sorted()
    }

    public func delete() {
        try? FileManager.default.removeItem(atPath: path)
    }
}
