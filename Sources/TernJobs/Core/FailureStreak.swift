import Logging

/// The failures in a row of a loop that keeps trying (claiming jobs, housekeeping, the outbox relay),
/// logged when the streak begins, at every 30th failure after, and when it ends, rather than on
/// every turn: housekeeping turns once a second, and a worker logging each failed turn wrote 3,600
/// lines an hour during an outage.
///
/// TernPrimitives' `OutageLog` does the same for a part that many requests use at once. A loop has
/// one caller, so it can count its failures: the count sets the pause before the next try, and the
/// reminders every 30th failure say how long the outage has lasted.
struct FailureStreak {
    private let logger: Logger
    private let failure: Logger.Message
    private let recovery: Logger.Message
    /// Failures since the last success.
    private(set) var count = 0

    /// - Parameters:
    ///   - failure: logged as a warning, with the error and `failed_attempts`.
    ///   - recovery: logged at info when the loop succeeds again, with `failed_attempts`.
    init(logger: Logger, failure: Logger.Message, recovery: Logger.Message) {
        self.logger = logger
        self.failure = failure
        self.recovery = recovery
    }

    /// Counts a failure, and logs it when it is the first or a 30th.
    mutating func failed(_ error: any Error, metadata: Logger.Metadata = [:]) {
        count += 1
        guard count == 1 || count.isMultiple(of: 30) else { return }
        var metadata = metadata
        metadata["error"] = "\(error)"
        metadata["failed_attempts"] = "\(count)"
        logger.warning(failure, metadata: metadata)
    }

    /// Ends the streak, logging the recovery if there was one.
    mutating func succeeded() {
        guard count > 0 else { return }
        logger.info(recovery, metadata: ["failed_attempts": "\(count)"])
        count = 0
    }

    /// The pause before the next try: 200 ms after the first failure, doubling to at most 5 s.
    var backoff: Duration {
        .milliseconds(min(100 * (1 << min(count, 6)), 5000))
    }
}
