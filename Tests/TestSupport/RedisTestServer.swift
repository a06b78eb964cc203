import Foundation

/// The Redis servers of the tests: the one `scripts/test` starts and shares (`TERN_TEST_REDIS_URL`;
/// tests keep apart by prefixing their keys), and servers of a test's own, which it may kill and
/// start again (`scripts/redis-test-server` in a temporary folder).
public struct RedisTestServer: Sendable {
    /// `redis://127.0.0.1:PORT/0`, valid across restarts.
    public let url: String
    private let directory: String
    private let script: String

    /// The URL of the shared server.
    public static func sharedURL() throws -> String {
        try TestEnvironment.required("TERN_TEST_REDIS_URL")
    }

    /// Runs `body` with a server of its own, then stops and deletes it whatever happens.
    public static func with<T>(_ body: (RedisTestServer) async throws -> T) async throws -> T {
        let script = try TestEnvironment.required("TERN_TEST_REDIS_SERVER_SCRIPT")
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("redis-\(UUID().uuidString)").path
        let server = RedisTestServer(
            url: try await TestServerScript.run(script, ["start", directory]), directory: directory, script: script)
        return try await using(server, cleanup: { await $0.delete() }, body)
    }

    /// Kills the server abruptly (SIGKILL): connections break, nothing is saved.
    public func kill() async throws {
        _ = try await TestServerScript.run(script, ["kill", directory])
    }

    /// Starts the killed server again, on the same port (empty: it keeps no data).
    public func restart() async throws {
        _ = try await TestServerScript.run(script, ["restart", directory])
    }

    private func delete() async {
        _ = try? await TestServerScript.run(script, ["stop", directory])
        try? FileManager.default.removeItem(atPath: directory)
    }
}
