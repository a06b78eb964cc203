import Synchronization
import TernPrimitives

/// A ``RateLimiter`` for one process: the TATs in memory, on the monotonic clock. Exact under
/// concurrency (one lock around each decision); nothing is shared with other processes, so several
/// `api` processes without Redis each allow the full rate.
public final class InProcessRateLimiter: RateLimiter {
    private struct State {
        var tats: [String: Int64] = [:]
        var decisionsSinceSweep = 0
    }

    private let state = Mutex(State())
    private let start = ContinuousClock.now
    /// How many decisions pass between sweeps of the keys whose limits are fully available again.
    private let sweepInterval: Int

    public init(sweepInterval: Int = 10_000) {
        self.sweepInterval = sweepInterval
    }

    public func decide(_ counts: [RateLimitCount], recording: Bool) async throws -> [RateLimitDecision] {
        decide(counts, recording: recording, now: (ContinuousClock.now - start).wholeMicroseconds)
    }

    /// The decisions at `now` microseconds on this limiter's clock (tests pass their own time).
    func decide(_ counts: [RateLimitCount], recording: Bool = true, now: Int64) -> [RateLimitDecision] {
        let flattened = GCRA.flattened(counts)
        let outcomes = state.withLock { state in
            let outcomes = GCRA.outcomes(of: flattened.map(\.limit), storedTATs: flattened.map { state.tats[$0.storageKey] }, now: now)
            if recording, outcomes.allSatisfy(\.admitted) {
                for (entry, outcome) in zip(flattened, outcomes) { state.tats[entry.storageKey] = outcome.newTAT }
            }
            state.decisionsSinceSweep += 1
            if state.decisionsSinceSweep >= sweepInterval {
                // A TAT in the past is the same as no TAT: the limit is fully available.
                state.tats = state.tats.filter { $0.value > now }
                state.decisionsSinceSweep = 0
            }
            return outcomes
        }
        return RateLimitDecision.split(outcomes, among: counts)
    }

    /// The decision for one key at `now` (tests).
    func decide(_ key: String, under limits: [RateLimit], recording: Bool = true, now: Int64) -> RateLimitDecision {
        decide([RateLimitCount(key, limits)], recording: recording, now: now)[0]
    }

    /// Keys held now, for tests of the sweep.
    var keyCount: Int { state.withLock { $0.tats.count } }
}
