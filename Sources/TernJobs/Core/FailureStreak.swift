/// The failures in a row of a loop that keeps trying (claiming jobs, housekeeping, the outbox relay),
/// so that an outage is logged when it begins, at every 30th failure after, and when it ends, rather
/// than on every turn: housekeeping turns once a second, and a worker logging each failed turn wrote
/// 3,600 lines an hour during an outage.
struct FailureStreak {
    /// Failures since the last success.
    private(set) var count = 0

    /// Counts a failure; `true` when it is one to log.
    mutating func failed() -> Bool {
        count += 1
        return count == 1 || count.isMultiple(of: 30)
    }

    /// Ends the streak; the number of failures it ended, if there were any, to log the recovery.
    mutating func succeeded() -> Int? {
        defer { count = 0 }
        return count > 0 ? count : nil
    }

    /// The pause before the next try: 200 ms after the first failure, doubling to at most 5 s.
    var backoff: Duration {
        .milliseconds(min(100 * (1 << min(count, 6)), 5000))
    }
}
