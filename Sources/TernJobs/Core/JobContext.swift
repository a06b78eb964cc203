import Logging

/// What a handler gets besides its payload: which job and attempt this is, a logger that tags every
/// line with the job id, and the application's shared services.
public struct JobContext<Services: Sendable>: Sendable {
    public let jobID: String
    public let jobName: String
    /// This attempt, from 1.
    public let attempt: Int
    public let maxAttempts: Int
    public let services: Services
    /// The worker's logger, which ``logger`` tags.
    let workerLogger: Logger

    /// A logger that tags every line with the job's id, name and attempt. Made on each use (the
    /// worker does not pay for it when a handler does not log): keep it in a local to log a lot.
    public var logger: Logger {
        workerLogger.tagged(jobID: jobID, name: jobName, attempt: attempt)
    }
}

extension Logger {
    /// This logger with a job's metadata, set in one go (each metadata write makes a
    /// `StreamLogHandler` format all its metadata again).
    func tagged(jobID: String, name: String, attempt: Int) -> Logger {
        var logger = self
        logger.handler.metadata.merge(["job_id": "\(jobID)", "job": "\(name)", "attempt": "\(attempt)"]) { $1 }
        return logger
    }
}
