import Logging

/// The two ways a pool stops serving, each logged once per incident (see ``IncidentLog``): the
/// database does not answer (a restart, a network cut), or every connection stays busy past the
/// acquire timeout (more load than the pool can take).
struct PoolIncidents: Sendable {
    let unreachable: IncidentLog
    let exhausted: IncidentLog

    init(logger: Logger) {
        unreachable = IncidentLog(logger: logger, start: "database unreachable", end: "database reachable again")
        exhausted = IncidentLog(
            logger: logger, start: "database pool exhausted: requests time out waiting for a connection",
            end: "database pool keeping up again")
    }

    /// Notes a failed statement or connection attempt; only unavailability counts.
    func failed(_ error: any Error) {
        guard let error = error as? DatabaseError else { return }
        switch error.kind {
        case .connectionFailed, .connectionLost: unreachable.occurred(error.message)
        case .poolExhausted: exhausted.occurred(error.message)
        default: break
        }
    }

    /// Notes a statement that succeeded: the database answers.
    func succeeded() {
        unreachable.resolved()
    }
}
