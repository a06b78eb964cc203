import Foundation
import Subprocess
import SystemPackage

/// Runs the `api` executable the way an operator does, in a scratch working directory and with only
/// the environment a test gives it (no `.env` or variables leak in from the developer's shell).
public struct APIProcess: Sendable {
    /// What a finished command printed and how it exited.
    public struct Result: Sendable {
        /// The exit status, or `nil` when a signal ended the process.
        public let status: Int32?
        public let output: String
        public let errorOutput: String
    }

    /// The scratch working directory (holds `data/` for the default SQLite database).
    public let directory: String
    /// Variables set for the command, on top of `PATH` and `HOME`.
    public var environment: [String: String]

    public init(environment: [String: String] = [:]) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("api-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        // Cheap password hashing unless a test asks for more: the suite runs many processes at once.
        let defaults = [
            "MIGRATIONS_DIR": TestEnvironment.migrationsPath, "PASSWORD_HASH_MEMORY_KIB": "1024", "PASSWORD_HASH_ITERATIONS": "1",
            "PASSWORD_HASH_PARALLELISM": "1",
        ]
        self.environment = defaults.merging(environment) { $1 }
    }

    /// The `api` binary built next to the test bundle (the test target depends on it).
    public static var executablePath: String {
        let bundle = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        return bundle.appendingPathComponent("api").path
    }

    /// Runs `api ARGUMENTS` to completion.
    public func run(_ arguments: [String]) async throws -> Result {
        let result = try await Subprocess.run(
            .path(FilePath(Self.executablePath)), arguments: Arguments(arguments), environment: processEnvironment,
            workingDirectory: FilePath(directory), output: .string(limit: 1 << 20), error: .string(limit: 1 << 20))
        return Result(
            status: result.terminationStatus.exitCode, output: result.standardOutput,
            errorOutput: result.standardError)
    }

    /// Starts `api ARGUMENTS`, runs `body` while it runs, then sends SIGTERM and waits for it to exit.
    public func runWhile(
        _ arguments: [String], _ body: () async throws -> Void
    ) async throws -> Result {
        let result = try await Subprocess.run(
            .path(FilePath(Self.executablePath)), arguments: Arguments(arguments), environment: processEnvironment,
            workingDirectory: FilePath(directory), input: .none, output: .string(limit: 1 << 20),
            error: .string(limit: 1 << 20)
        ) { execution in
            do {
                try await body()
            } catch {
                try? execution.send(signal: .terminate)
                throw error
            }
            try execution.send(signal: .terminate)
        }
        return Result(
            status: result.terminationStatus.exitCode, output: result.standardOutput,
            errorOutput: result.standardError)
    }

    /// Removes the scratch directory.
    public func delete() {
        try? FileManager.default.removeItem(atPath: directory)
    }

    private var processEnvironment: Subprocess.Environment {
        let base = [
            "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin",
            "HOME": FileManager.default.temporaryDirectory.path,
        ]
        return .custom(base.merging(environment) { $1 }.map { Array("\($0)=\($1)\0".utf8) })
    }
}

extension TerminationStatus {
    var exitCode: Int32? {
        if case .exited(let code) = self { return Int32(code) }
        return nil
    }
}

/// A free TCP port on loopback, for a server a test starts.
public func freeLoopbackPort() throws -> Int {
    let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(descriptor) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = 0
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) { pointer in
        pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
            bind(descriptor, socketAddress, length) == 0 && getsockname(descriptor, socketAddress, &length) == 0
        }
    }
    guard bound else { throw TestSetupError("could not find a free port") }
    return Int(UInt16(bigEndian: address.sin_port))
}
