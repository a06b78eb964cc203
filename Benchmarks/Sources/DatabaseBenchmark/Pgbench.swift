import Foundation

/// pgbench, PostgreSQL's own load generator (C, libpq's asynchronous API, a few threads each driving
/// many connections), running the benchmark's statements as prepared statements: the ceiling a
/// client library on this machine can hope to reach.
struct Pgbench {
    let url: String

    /// The same statement as the Swift targets', one transaction each (pgbench's script language
    /// only makes numbers: the title is built by the server from one).
    private func script(for operation: Operation) -> String {
        switch operation {
        case .pointSelect:
            "\\set id random(1, \(Workload.rowCount))\nSELECT id, randomnumber FROM bench_world WHERE id = :id;\n"
        case .insert:
            "\\set n random(1, 1000000)\nINSERT INTO bench_item (title, number) VALUES ('item ' || :n, :n);\n"
        }
    }

    /// Runs `operation` from `concurrency` connections for `duration` (whole seconds, at least one);
    /// returns pgbench's transactions per second without its connection time.
    func measure(_ operation: Operation, concurrency: Int, duration: Duration) throws -> Double {
        let scriptFile = FileManager.default.temporaryDirectory.appendingPathComponent("tern-pgbench-\(operation.rawValue).sql")
        try script(for: operation).write(to: scriptFile, atomically: true, encoding: .utf8)
        let threads = min(concurrency, ProcessInfo.processInfo.activeProcessorCount)
        let seconds = max(1, Int(duration.components.seconds))
        let process = Process()
        // pgbench ends a -T run on SIGALRM, which a child of this process would inherit blocked (the
        // Swift runtime's threads block signals): a Python shim unblocks them and becomes pgbench.
        let unblockSignals = "import os, signal, sys; signal.pthread_sigmask(signal.SIG_SETMASK, []); os.execvp(sys.argv[1], sys.argv[1:])"
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "python3", "-c", unblockSignals,
            "pgbench", "-n", "-M", "prepared", "-c", "\(concurrency)", "-j", "\(threads)", "-T", "\(seconds)", "-f", scriptFile.path, url,
        ]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix("tps = ") }),
            let rate = Double(line.dropFirst("tps = ".count).prefix { $0 != " " })
        else { throw PgbenchFailed(output: text) }
        return rate
    }
}

struct PgbenchFailed: Error, CustomStringConvertible {
    let output: String
    var description: String { "pgbench gave no rate:\n\(output)" }
}
