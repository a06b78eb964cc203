import Foundation
import Subprocess

/// Runs `scripts/pg-test-server` or `scripts/redis-test-server`.
enum TestServerScript {
    /// Runs the script; returns its output (the URL, for `start`). Output goes to a file: a started
    /// server outlives the command and would hold a pipe open.
    static func run(_ script: String, _ arguments: [String]) async throws -> String {
        let outputFile = FileManager.default.temporaryDirectory.appendingPathComponent("server-out-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: outputFile) }
        let command = ([script] + arguments).map { "'\($0)'" }.joined(separator: " ") + " >'\(outputFile)' 2>&1"
        let result = try await Subprocess.run(.name("bash"), arguments: ["-c", command], output: .discarded, error: .discarded)
        let output = (try? String(contentsOfFile: outputFile, encoding: .utf8)) ?? ""
        guard result.terminationStatus.isSuccess else {
            throw TestSetupError("\((script as NSString).lastPathComponent) \(arguments.joined(separator: " ")) failed: \(output)")
        }
        return output.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
