import Foundation
import Subprocess

/// A PostgreSQL server of a test's own, which it may stop and start at will (the shared test server
/// cannot be, since tests run in parallel): `scripts/pg-test-server` in a temporary folder.
public struct PostgresTestServer: Sendable {
    /// The admin URL (`postgres://postgres@127.0.0.1:PORT/postgres`), valid across restarts.
    public let url: String
    private let directory: String
    private let script: String

    /// Creates and starts the server (`initdb` takes a second or two).
    public static func start() async throws -> PostgresTestServer {
        let script = try TestEnvironment.required("TERN_TEST_PG_SERVER_SCRIPT")
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pg-\(UUID().uuidString)").path
        let url = try await run(script, ["start", directory])
        return PostgresTestServer(url: url, directory: directory, script: script)
    }

    /// Runs `body` with a new server, then stops and deletes it whatever happens.
    public static func with<T>(_ body: (PostgresTestServer) async throws -> T) async throws -> T {
        try await using(try await start(), cleanup: { await $0.delete() }, body)
    }

    /// Stops the server (fast shutdown: connections are terminated).
    public func stop() async throws {
        _ = try await Self.run(script, ["stop", directory])
    }

    /// Starts the stopped server again, on the same port.
    public func startAgain() async throws {
        _ = try await Self.run(script, ["start", directory, port])
    }

    /// Stops the server and starts it again.
    public func restart() async throws {
        _ = try await Self.run(script, ["restart", directory])
    }

    /// The port, as a string.
    public var port: String {
        String(url.split(separator: ":").last?.prefix { $0.isNumber } ?? "")
    }

    private func delete() async {
        try? await stop()
        try? FileManager.default.removeItem(atPath: directory)
    }

    private static func run(_ script: String, _ arguments: [String]) async throws -> String {
        try await TestServerScript.run(script, arguments)
    }
}
