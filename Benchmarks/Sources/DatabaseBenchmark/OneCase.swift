import Foundation

/// One case alone, for profiling and for the CPU each side spends per query: `CASE=point-select:16`
/// (Tern's pool as requests use it) or `CASE=point-select:16:io` (its client tasks on the I/O
/// threads), run for SECONDS, then pgbench on the same case. Writes `measuring` to standard error
/// when Tern's measured run starts, so that a profiler can attach to this process then
/// (`Benchmarks/profile-database`).
struct OneCase {
    let operation: Operation
    let concurrency: Int
    let onIOThreads: Bool

    /// Parses `OPERATION:CONCURRENCY[:io]`.
    init?(_ text: String) {
        let parts = text.split(separator: ":").map(String.init)
        guard parts.count == 2 || (parts.count == 3 && parts[2] == "io"), let operation = Operation(rawValue: parts[0]),
            let concurrency = Int(parts[1]), concurrency > 0
        else { return nil }
        (self.operation, self.concurrency, onIOThreads) = (operation, concurrency, parts.count == 3)
    }

    func run(_ tern: TernTarget, _ pgbench: Pgbench, seconds: Double) async throws {
        let target = onIOThreads ? TernTarget(onIOThreadsOf: tern) : tern
        let duration = Duration.milliseconds(Int64(seconds * 1000))
        _ = try await measure(target, operation, concurrency: concurrency, duration: .milliseconds(500))
        FileHandle.standardError.write(Data("measuring\n".utf8))
        let ternBefore = CPUTime(of: RUSAGE_SELF.rawValue)
        let ternRate = try await measure(target, operation, concurrency: concurrency, duration: duration)
        let ternCPU = CPUTime(of: RUSAGE_SELF.rawValue) - ternBefore
        let pgbenchBefore = CPUTime(of: RUSAGE_CHILDREN.rawValue)
        let pgbenchRate = try pgbench.measure(operation, concurrency: concurrency, duration: duration)
        let pgbenchCPU = CPUTime(of: RUSAGE_CHILDREN.rawValue) - pgbenchBefore
        let name = "\(operation.rawValue) c=\(concurrency)\(onIOThreads ? " on I/O threads" : "")"
        let ternSide = "tern \(Int(ternRate)) q/s, \(ternCPU.perQuery(ternRate * seconds))"
        let pgbenchSide = "pgbench \(Int(pgbenchRate)) q/s, \(pgbenchCPU.perQuery(pgbenchRate * seconds))"
        print("\(name): \(ternSide) | \(pgbenchSide) | " + String(format: "ratio %.2f", ternRate / pgbenchRate))
    }
}

/// User and system CPU time of this process or of its waited-for children (`getrusage`).
struct CPUTime {
    var user: Double
    var system: Double

    init(of who: __rusage_who_t) {
        var usage = rusage()
        getrusage(who, &usage)
        user = Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6
        system = Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
    }

    private init(user: Double, system: Double) {
        (self.user, self.system) = (user, system)
    }

    static func - (left: CPUTime, right: CPUTime) -> CPUTime {
        CPUTime(user: left.user - right.user, system: left.system - right.system)
    }

    /// "CPU per query: 7.5 us user, 11.8 us system" for `queries` queries.
    func perQuery(_ queries: Double) -> String {
        String(format: "CPU per query %.1f us user, %.1f us system", user / queries * 1e6, system / queries * 1e6)
    }
}
