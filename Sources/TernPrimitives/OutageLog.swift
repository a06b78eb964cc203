import Logging
import Metrics
import Synchronization

/// Logs an outage of a part requests can do without (the rate limiter's Redis, the cache's) once when
/// it starts and once when it ends, not once per request, and counts the calls that failed
/// (`tern_outage_failures_total{part=...}`).
public final class OutageLog: Sendable {
    private let name: String
    private let down = Atomic<Bool>(false)
    private let failures: Counter

    public init(name: String) {
        self.name = name
        failures = Counter(label: "tern_outage_failures_total", dimensions: [("part", name)])
    }

    public func failed(_ error: any Error, logger: Logger) {
        failures.increment()
        if !down.exchange(true, ordering: .relaxed) {
            logger.warning("\(name) unavailable until further notice", metadata: ["error": "\(error)"])
        }
    }

    public func recovered(logger: Logger) {
        guard down.load(ordering: .relaxed), down.exchange(false, ordering: .relaxed) else { return }
        logger.notice("\(name) available again")
    }
}
