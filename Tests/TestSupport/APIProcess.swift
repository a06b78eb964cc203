import Foundation
import Subprocess
import Synchronization
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

    /// Starts `api serve --port 0 ARGUMENTS` (the system picks a free port, which the server logs),
    /// waits until it listens, runs `body` with it, then sends `stopSignal` and waits for it to exit.
    /// Throws, with the server's log, if it exits without listening.
    ///
    /// - Parameter log: where the server's log goes, for a test that watches it while the server starts.
    public func serve(
        _ arguments: [String] = [], stopSignal: Int32 = SIGTERM, log: ProcessLog = ProcessLog(),
        _ body: (RunningAPI) async throws -> Void
    ) async throws -> Result {
        let result = try await Subprocess.run(
            .path(FilePath(Self.executablePath)), arguments: Arguments(["serve", "--port", "0"] + arguments),
            environment: processEnvironment, workingDirectory: FilePath(directory), input: .none,
            output: .string(limit: 1 << 20), error: .sequence
        ) { execution in
            let (ports, portFound) = AsyncStream.makeStream(of: Int.self)
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    for try await line in execution.standardError.strings() {
                        log.append(line)
                        if let port = Self.listeningPort(in: line) { portFound.yield(port) }
                    }
                    portFound.finish()
                }
                var iterator = ports.makeAsyncIterator()
                guard let port = await iterator.next() else {
                    throw TestSetupError("api serve exited without listening:\n\(log.text)")
                }
                let running = RunningAPI(port: port, processIdentifier: execution.processIdentifier.value)
                do {
                    try await body(running)
                } catch {
                    try? execution.send(signal: Signal(rawValue: stopSignal))
                    throw error
                }
                try execution.send(signal: Signal(rawValue: stopSignal))
                try await group.waitForAll()
            }
        }
        return Result(status: result.terminationStatus.exitCode, output: result.standardOutput, errorOutput: log.text)
    }

    /// The port in Hummingbird's "Server started and listening on HOST:PORT" line, written as text
    /// or inside a JSON line (`LOG_FORMAT=json`).
    private static func listeningPort(in line: String) -> Int? {
        guard let range = line.range(of: "listening on ") else { return nil }
        let address = line[range.upperBound...].prefix { $0 != "\"" && !$0.isWhitespace }
        return address.split(separator: ":").last.flatMap { Int($0.prefix { $0.isNumber }) }
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

/// An `api serve` process a test talks to.
public struct RunningAPI: Sendable {
    /// The port it listens on, on 127.0.0.1.
    public let port: Int
    public let processIdentifier: pid_t

    /// `http://127.0.0.1:PORT`
    public var baseURL: String { "http://127.0.0.1:\(port)" }

    /// Sends a signal (SIGTERM, SIGINT) without waiting.
    public func send(_ signal: Int32) {
        kill(processIdentifier, signal)
    }
}

/// Lines a process wrote, collected while it runs.
public final class ProcessLog: Sendable {
    private let lines = Mutex<[String]>([])

    public init() {}

    func append(_ line: String) {
        lines.withLock { $0.append(line) }
    }

    public var text: String {
        lines.withLock { $0.joined(separator: "\n") }
    }

    /// Waits until a line containing `text` has been written (the suite's time limit bounds the wait).
    public func waitFor(_ text: String) async throws {
        while !lines.withLock({ $0.contains { $0.contains(text) } }) {
            try await Task.sleep(for: .milliseconds(20))
        }
    }
}
