import TernJobs

/// Deletes the sign-in sessions that ended over a day ago, with their refresh tokens (scheduled
/// daily in ``AppJobs``): a revoked or expired session is kept a day, for the logs' sake.
struct PruneEndedSessions: Job {
    static let name = "auth.prune-ended-sessions"
}
