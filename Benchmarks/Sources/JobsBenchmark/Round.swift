import Foundation
import TernJobs

/// One round of the three measurements on one backend, done as `Benchmarks/jobs-peers/harness.py`
/// does them for the Python peers.
struct Round {
    let target: BenchmarkBackend
    let layout: WorkerLayout
    let label: String
    let recorder = Recorder()
    var queue: JobQueue { JobQueue(backend: target.backend) }

    static let pollInterval = Duration.milliseconds(2)
    static let timeout = Duration.seconds(Settings.double("BENCH_TIMEOUT", default: 300))

    /// Runs the round; the figures by metric name (those of `RESULT` lines, plus the enqueue rate).
    func run(jobs: Int, phases: [String]) async throws -> [String: Double] {
        var figures: [String: Double] = [:]
        let clock = ContinuousClock()

        // 1. Enqueue then drain: all jobs written before any worker runs, then the workers started
        // and timed until the backend holds nothing queued or running.
        try await target.empty()
        recorder.reset()
        var start = clock.now
        try await queue.enqueue(Array(repeating: NoOpJob(), count: jobs))
        let enqueueSeconds = (clock.now - start).seconds
        let queued = try await target.unfinished().queued
        guard queued == jobs else { throw BenchmarkError("\(queued) jobs queued after enqueueing \(jobs)") }
        figures["enqueue_jobs_per_s"] = Double(jobs) / enqueueSeconds
        say("\(label): enqueue \(jobs) jobs \(format(enqueueSeconds)) s (\(format(figures["enqueue_jobs_per_s"]!, 0)) jobs/s)")
        let cpu = try await CPUTime(target)
        start = clock.now
        let pool = WorkerPool(layout, backend: target.backend, handlers: recorder.handlers())
        do {
            let drainSeconds = (try await waitUntilDone(started: jobs) - start).seconds
            figures["drain_jobs_per_s"] = Double(jobs) / drainSeconds
            say(
                "\(label): drain \(format(drainSeconds)) s (\(format(figures["drain_jobs_per_s"]!, 0)) jobs/s);"
                    + " CPU per job: \(try await cpu.perJob(jobs))")

            // 2. Concurrent: the same workers, idle, while the jobs are enqueued in batches of 1000.
            if phases.contains("concurrent") {
                try await Task.sleep(for: .milliseconds(500))
                recorder.reset()
                let cpu = try await CPUTime(target)
                start = clock.now
                for batch in stride(from: 0, to: jobs, by: 1000) {
                    try await queue.enqueue(Array(repeating: NoOpJob(), count: min(1000, jobs - batch)))
                }
                let seconds = (try await waitUntilDone(started: jobs) - start).seconds
                figures["concurrent_jobs_per_s"] = Double(jobs) / seconds
                say(
                    "\(label): concurrent enqueue+process \(jobs) jobs \(format(seconds)) s"
                        + " (\(format(figures["concurrent_jobs_per_s"]!, 0)) jobs/s); CPU per job: \(try await cpu.perJob(jobs))")
            }

            // 3. Latency at low load: jobs enqueued one at a time at a steady rate, workers idle.
            if phases.contains("latency") {
                try await Task.sleep(for: .milliseconds(500))
                let (p50, p99, worst, count) = try await latency()
                figures["latency_p50_ms"] = p50
                figures["latency_p99_ms"] = p99
                say(
                    "\(label): enqueue-to-start over \(count) jobs at \(format(Self.latencyRate, 0))/s:"
                        + " p50 \(format(p50)) ms, p99 \(format(p99)) ms, max \(format(worst)) ms")
            }
        } catch {
            try? await pool.stop()
            throw error
        }
        try await pool.stop()
        return figures
    }

    /// Waits until the handlers started `started` no-op jobs, then polls the backend's stats every
    /// 2 ms until nothing is queued or running on two polls in a row; the time of the first of them.
    private func waitUntilDone(started: Int) async throws -> ContinuousClock.Instant {
        let deadline = ContinuousClock.now + Self.timeout
        while recorder.startedCount < started {
            guard ContinuousClock.now < deadline else {
                throw BenchmarkError("timed out: \(recorder.startedCount) of \(started) jobs started")
            }
            try await Task.sleep(for: .milliseconds(1))
        }
        while true {
            let seen = ContinuousClock.now
            if try await target.unfinished() == (0, 0) {
                try await Task.sleep(for: Self.pollInterval)
                if try await target.unfinished() == (0, 0) { return seen }
            }
            guard seen < deadline else { throw BenchmarkError("timed out waiting for the backend to be empty") }
            try await Task.sleep(for: Self.pollInterval)
        }
    }

    static let latencyJobs = Settings.integer("LATENCY_JOBS", default: 500)
    static let latencyRate = Settings.double("LATENCY_RATE", default: 200)

    /// Enqueues ``latencyJobs`` stamped jobs one at a time at ``latencyRate`` per second; p50, p99
    /// and the worst of their enqueue-to-start times (ms), and how many there were.
    private func latency() async throws -> (Double, Double, Double, Int) {
        recorder.reset()
        let start = ContinuousClock.now
        for index in 0..<Self.latencyJobs {
            let due = start + .seconds(Double(index) / Self.latencyRate)
            if due > .now { try await Task.sleep(until: due, clock: .continuous) }
            try await queue.enqueue(StampedJob(enqueuedAt: Date().timeIntervalSince1970))
        }
        let deadline = ContinuousClock.now + .seconds(60)
        while recorder.latencies.count < Self.latencyJobs {
            guard ContinuousClock.now < deadline else { throw BenchmarkError("timed out waiting for the latency jobs") }
            try await Task.sleep(for: Self.pollInterval)
        }
        let samples = recorder.latencies.sorted()
        return (percentile(samples, 0.50), percentile(samples, 0.99), samples.last ?? 0, samples.count)
    }
}

/// CPU time used from its creation on, by this process and (on Redis) by the server: what a job
/// costs whatever else the machine is doing, which the rates alone do not show on a busy machine.
struct CPUTime {
    let target: BenchmarkBackend
    let process: Double
    let server: Double?

    init(_ target: BenchmarkBackend) async throws {
        self.target = target
        process = Self.processSeconds()
        server = try await target.serverCPUSeconds?()
    }

    /// "12.3 µs here, 4.5 µs in Redis".
    func perJob(_ jobs: Int) async throws -> String {
        let here = (Self.processSeconds() - process) / Double(jobs) * 1e6
        var text = "\(format(here, 1)) µs in this process"
        if let server, let now = try await target.serverCPUSeconds?() {
            text += ", \(format((now - server) / Double(jobs) * 1e6, 1)) µs in Redis"
        }
        return text
    }

    static func processSeconds() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }
}

/// Nearest-rank percentile of sorted values, as the peers' harness computes it.
func percentile(_ sorted: [Double], _ fraction: Double) -> Double {
    let rank = Int((fraction * Double(sorted.count)).rounded(.up))
    return sorted[min(max(rank, 1), sorted.count) - 1]
}

/// Prints a line at once, also into a pipe (`print` buffers there), so progress shows as it happens.
func say(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}

func format(_ value: Double, _ decimals: Int = 2) -> String {
    String(format: "%.\(decimals)f", value)
}

struct BenchmarkError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

extension Duration {
    var seconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
