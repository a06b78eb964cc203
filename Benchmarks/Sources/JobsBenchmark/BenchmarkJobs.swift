import Foundation
import Synchronization
import TernJobs

/// The job of the throughput figures: no payload, and a handler that only counts it.
struct NoOpJob: Job {
    static let name = "bench-noop"
}

/// The job of the latency figure: the wall-clock time (seconds since 1970) just before its enqueue,
/// as the Python peers pass `time.time()`.
struct StampedJob: Job {
    static let name = "bench-stamped"
    var enqueuedAt: Double
}

/// What the handlers saw: how many no-op jobs started, and each stamped job's enqueue-to-start time.
final class Recorder: Sendable {
    private let started = Atomic<Int>(0)
    private let samples = Mutex<[Double]>([])

    /// No-op jobs started since the last ``reset()``.
    var startedCount: Int { started.load(ordering: .relaxed) }

    /// Enqueue-to-start times in milliseconds, in the order the jobs started.
    var latencies: [Double] { samples.withLock { $0 } }

    func reset() {
        started.store(0, ordering: .relaxed)
        samples.withLock { $0 = [] }
    }

    /// The handlers a worker runs: one per job type.
    func handlers() -> JobHandlers {
        var registry = JobRegistry(services: self)
        registry.register(NoOpJob.self) { _, context in
            context.services.started.add(1, ordering: .relaxed)
        }
        registry.register(StampedJob.self) { job, context in
            let milliseconds = (Date().timeIntervalSince1970 - job.enqueuedAt) * 1000
            context.services.samples.withLock { $0.append(milliseconds) }
        }
        return registry.handlers
    }
}
