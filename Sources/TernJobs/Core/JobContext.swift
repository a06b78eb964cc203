import Logging

/// What a handler gets besides its payload: which job and attempt this is, a logger that tags every
/// line with the job id, and the application's shared services.
public struct JobContext<Services: Sendable>: Sendable {
    public let jobID: String
    public let jobName: String
    /// This attempt, from 1.
    public let attempt: Int
    public let maxAttempts: Int
    public let logger: Logger
    public let services: Services
}
