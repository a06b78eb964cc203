import Logging
import Synchronization

/// Logs a recurring problem once when it starts and once when it ends, with how often it struck
/// meanwhile, instead of one line per failed request: a database restart under load fails hundreds
/// of requests a second, and a log of identical warnings hides everything else.
///
/// ```
/// warning: database unreachable  error=connection refused
/// notice: database reachable again  failures=1511 duration=0.843127 seconds
/// ```
final class IncidentLog: Sendable {
    private struct Incident {
        var started: ContinuousClock.Instant
        var lastOccurrence: ContinuousClock.Instant
        var occurrences: Int
    }

    private let logger: Logger
    private let startMessage: Logger.Message
    private let endMessage: Logger.Message
    /// Read on every success, so that the common case takes no lock.
    private let isActive = Atomic<Bool>(false)
    private let incident = Mutex<Incident?>(nil)

    init(logger: Logger, start: Logger.Message, end: Logger.Message) {
        self.logger = logger
        self.startMessage = start
        self.endMessage = end
    }

    /// The problem happened (again).
    func occurred(_ detail: @autoclosure () -> String) {
        let now = ContinuousClock.now
        let isFirst = incident.withLock { incident in
            if incident == nil {
                incident = Incident(started: now, lastOccurrence: now, occurrences: 1)
                return true
            }
            incident!.occurrences += 1
            incident!.lastOccurrence = now
            return false
        }
        guard isFirst else { return }
        isActive.store(true, ordering: .releasing)
        logger.warning(startMessage, metadata: ["error": "\(detail())"])
    }

    /// Things work again; ends the incident if one is open and `quietFor` has passed since it last struck.
    func resolved(quietFor: Duration = .zero) {
        guard isActive.load(ordering: .acquiring) else { return }
        let now = ContinuousClock.now
        let ended: Incident? = incident.withLock { incident in
            guard let open = incident, now - open.lastOccurrence >= quietFor else { return nil }
            incident = nil
            return open
        }
        guard let ended else { return }
        isActive.store(false, ordering: .releasing)
        logger.notice(
            endMessage,
            metadata: [
                "failures": "\(ended.occurrences)",
                "duration": "\(now - ended.started)",
            ])
    }
}
