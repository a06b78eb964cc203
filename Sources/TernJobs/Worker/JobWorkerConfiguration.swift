import Foundation

/// How a ``JobWorker`` runs: its concurrency, the queues it serves, and its timings.
public struct JobWorkerConfiguration: Sendable {
    /// Jobs run at once (`WORKER_CONCURRENCY`).
    public var concurrency: Int
    /// The queues served, highest priority first; `nil` serves those of every registered job.
    public var queues: [JobQueueName]?
    /// How long running jobs may take to finish once a shutdown began (`WORKER_SHUTDOWN_TIMEOUT`);
    /// jobs still running then are left for other workers to reclaim.
    public var shutdownTimeout: Duration
    /// The longest one attempt may take, for jobs that do not say.
    public var defaultJobTimeout: Duration
    public var retryPolicy: RetryPolicy
    /// How often running jobs' leases are extended; well below the backend's visibility timeout.
    public var leaseRefreshInterval: Duration
    /// How often the worker does housekeeping: reclaims expired leases, moves due delayed jobs,
    /// enqueues periodic jobs.
    public var maintenanceInterval: Duration
    /// Tells this worker's claims apart in the backend and in logs.
    public var name: String

    public init(
        concurrency: Int = 10, queues: [JobQueueName]? = nil, shutdownTimeout: Duration = .seconds(30),
        defaultJobTimeout: Duration = .seconds(300), retryPolicy: RetryPolicy = RetryPolicy(),
        leaseRefreshInterval: Duration = .seconds(10), maintenanceInterval: Duration = .seconds(1),
        name: String = JobWorkerConfiguration.uniqueName()
    ) {
        self.concurrency = max(1, concurrency)
        self.queues = queues
        self.shutdownTimeout = shutdownTimeout
        self.defaultJobTimeout = defaultJobTimeout
        self.retryPolicy = retryPolicy
        self.leaseRefreshInterval = leaseRefreshInterval
        self.maintenanceInterval = maintenanceInterval
        self.name = name
    }

    /// `host-pid-random`: unique among the workers sharing a queue, and readable in `jobs list`.
    public static func uniqueName() -> String {
        "\(ProcessInfo.processInfo.hostName)-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString.prefix(6).lowercased())"
    }
}
