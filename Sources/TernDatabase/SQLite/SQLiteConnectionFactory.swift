import Foundation

/// Opens sqlite3 connections to one database file for the pools, creating its folder if needed.
struct SQLiteConnectionFactory: ConnectionFactory {
    let path: String
    let busyTimeout: Duration
    let statementCacheCapacity: Int

    var dialect: SQLDialect { .sqlite }

    func connect(role: ConnectionRole) throws -> any PooledConnection {
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent()
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let milliseconds = busyTimeout.components.seconds * 1000 + busyTimeout.components.attoseconds / 1_000_000_000_000_000
        return try SQLiteConnection(
            path: path, role: role, busyTimeoutMilliseconds: Int32(clamping: milliseconds),
            statementCacheCapacity: statementCacheCapacity)
    }

    func shutdown() async {}
}
