import Foundation
import Subprocess
import SystemPackage

/// An executable of this package run as a process of its own, as a supervisor runs it: with only the
/// environment a test gives it, its output kept in files, and stopped by the signal the test
/// chooses (SIGTERM to drain, SIGKILL to crash). The executable is the one built next to the test
/// bundle, which the test target depends on so that it is built.
///
/// ```swift
/// let worker = ChildProcess("worker", environment: ["DATABASE_URL": url])
/// let (exit, _) = try await worker.start(["run"]) { process in
///     try await process.waitForLog("worker started")
///     process.send(SIGTERM)
/// }
/// #expect(exit.status == 0, "\(exit.log)")
/// ```
public struct ChildProcess: Sendable {
    /// How a process ended, and what it wrote.
    public struct Exit: Sendable {
        /// The exit status, or `nil` when a signal ended it.
        public let status: Int32?
        /// The signal that ended it, if one did.
        public let signal: Int32?
        /// What it wrote on standard output.
        public let output: String
        /// What it wrote on standard error, where the package's executables log.
        public let log: String
    }

    /// The executable's path.
    public let path: String
    /// Variables set for the process, on top of `PATH` and `HOME`.
    public var environment: [String: String]
    /// The working directory; the test's own when `nil`.
    public var directory: String?

    /// The executable `name` built next to the test bundle.
    public init(_ name: String, environment: [String: String] = [:], directory: String? = nil) {
        path = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent(name).path
        self.environment = environment
        self.directory = directory
    }

    /// Runs the executable with `arguments` to completion.
    public func run(_ arguments: [String]) async throws -> Exit {
        try await start(arguments) { _ in }.exit
    }

    /// Starts the executable with `arguments`, runs `body` while it runs, then waits for it to exit:
    /// `body` ends it with a signal, or lets it finish. When `body` throws, the process is killed and
    /// the error comes back with the end of its log.
    public func start<T: Sendable>(
        _ arguments: [String], _ body: (RunningProcess) async throws -> T
    ) async throws -> (exit: Exit, result: T) {
        // Files, not pipes: nothing needs reading while it runs, and a test can look at its log any time.
        let name = FileManager.default.temporaryDirectory.appendingPathComponent("process-\(UUID().uuidString)").path
        let (outputPath, logPath) = (name + ".out", name + ".log")
        defer {
            try? FileManager.default.removeItem(atPath: outputPath)
            try? FileManager.default.removeItem(atPath: logPath)
        }
        let execution = try await Subprocess.run(
            .path(FilePath(path)), arguments: Arguments(arguments), environment: processEnvironment,
            workingDirectory: directory.map { FilePath($0) }, input: .none,
            output: .fileDescriptor(try Self.create(outputPath), closeAfterSpawningProcess: true),
            error: .fileDescriptor(try Self.create(logPath), closeAfterSpawningProcess: true)
        ) { execution in
            let process = RunningProcess(processIdentifier: execution.processIdentifier.value, logPath: logPath)
            do {
                return try await body(process)
            } catch {
                process.send(SIGKILL)
                let log = process.log
                throw ChildProcessError(
                    description: "\(error)\n--- the last lines of \((path as NSString).lastPathComponent)'s log:\n"
                        + log.split(separator: "\n", omittingEmptySubsequences: false).suffix(40).joined(separator: "\n"))
            }
        }
        let output = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
        let log = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
        let exit: Exit
        switch execution.terminationStatus {
        case .exited(let code): exit = Exit(status: code, signal: nil, output: output, log: log)
        case .signaled(let signal): exit = Exit(status: nil, signal: signal, output: output, log: log)
        }
        return (exit, execution.closureResult)
    }

    private static func create(_ path: String) throws -> FileDescriptor {
        try FileDescriptor.open(FilePath(path), .writeOnly, options: [.create, .truncate], permissions: [.ownerReadWrite])
    }

    private var processEnvironment: Subprocess.Environment {
        let base = [
            "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin",
            "HOME": FileManager.default.temporaryDirectory.path,
        ]
        return .custom(base.merging(environment) { $1 }.map { Array("\($0)=\($1)\0".utf8) })
    }
}

/// A process a ``ChildProcess`` started, while it runs.
public struct RunningProcess: Sendable {
    public let processIdentifier: pid_t
    let logPath: String

    /// Sends a signal (SIGTERM, SIGINT, SIGKILL) without waiting.
    public func send(_ signal: Int32) {
        kill(processIdentifier, signal)
    }

    /// What the process has written on standard error so far.
    public var log: String {
        (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
    }

    /// Waits until the log holds `text`, for up to `seconds`; throws if it never does.
    public func waitForLog(_ text: String, within seconds: Double = 120) async throws {
        let deadline = Date().addingTimeInterval(seconds)
        while !log.contains(text) {
            guard Date() < deadline else { throw TestSetupError("the process did not log \"\(text)\" within \(seconds) s") }
            try await Task.sleep(for: .milliseconds(50))
        }
    }
}

/// A test's body failed while a ``ChildProcess`` ran: its error, with the end of the process's log.
public struct ChildProcessError: Error, CustomStringConvertible {
    public let description: String
}
