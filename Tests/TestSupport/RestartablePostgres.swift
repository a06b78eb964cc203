import Subprocess

/// The second PostgreSQL server `scripts/test` starts, which a test may restart: the shared one cannot
/// be, since tests run in parallel. Only one test uses it.
public struct RestartablePostgres: Sendable {
    public let url: String
    private let directory: String
    private let script: String

    public init() throws {
        url = try TestEnvironment.required("TERN_TEST_RESTARTABLE_POSTGRES_URL")
        directory = try TestEnvironment.required("TERN_TEST_RESTARTABLE_POSTGRES_DIR")
        script = try TestEnvironment.required("TERN_TEST_PG_SERVER_SCRIPT")
    }

    /// Stops the server (fast shutdown: connections are terminated) and starts it again.
    public func restart() async throws {
        // Output is discarded: the restarted server outlives the command and would hold a pipe open.
        let result = try await run(
            .name("bash"), arguments: [script, "restart", directory], output: .discarded, error: .discarded)
        guard result.terminationStatus.isSuccess else {
            throw TestSetupError("restarting the test PostgreSQL server failed: \(result.terminationStatus)")
        }
    }
}
