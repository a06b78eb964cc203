import TernJobs
import TernSettings

/// `JOBS_*` and `WORKER_*`: where jobs wait and how workers run them.
public struct JobSettings: Sendable {
    /// Where jobs wait.
    public enum Backend: String, Sendable, CaseIterable {
        /// Redis Streams (needs `REDIS_URL`).
        case redis
        /// The database's `tern_job` table.
        case database
    }

    /// `JOBS_BACKEND`: `redis` or `database`; default `redis` when `REDIS_URL` is set, else `database`.
    public var backend: Backend
    /// `JOBS_MAX_ATTEMPTS`: attempts of a job whose type does not say, before the
    /// dead-letter set.
    public var maxAttempts: Int
    /// `JOBS_VISIBILITY_TIMEOUT` (seconds): how long the jobs of a worker that stopped
    /// answering stay with it before another worker takes them.
    public var visibilityTimeout: Duration
    /// `JOBS_POLL_INTERVAL` (seconds): how often an idle worker looks for due jobs without
    /// being woken (delayed jobs; on SQLite, jobs enqueued by other processes).
    public var pollInterval: Duration
    /// `JOBS_TIMEOUT` (seconds): the longest one attempt may run, for jobs that do not say.
    public var jobTimeout: Duration
    /// `WORKER_CONCURRENCY`: jobs a worker runs at once.
    public var workerConcurrency: Int
    /// `WORKER_SHUTDOWN_TIMEOUT` (seconds): on SIGTERM, how long running jobs may take to
    /// finish; jobs still running then are left for other workers to reclaim.
    public var workerShutdownTimeout: Duration
    /// `WORKER_QUEUES`: the queues a worker serves, comma-separated; empty: all of them.
    public var workerQueues: [String]
    /// `WORKER_EMBEDDED` (`api serve --worker` sets it): `api` runs a worker too, so a
    /// single process sends emails in development.
    public var embeddedWorker: Bool
    /// `WORKER_METRICS_PORT`: `worker run` serves `GET /metrics` (Prometheus's text
    /// format: jobs, Redis, the database pool) on this port, on `HOST`; `0` takes any free port and
    /// logs it. Needs `METRICS_ENABLED`.
    public var workerMetricsPort: Int?

    static func read(_ reader: inout SettingsReader, redisConfigured: Bool) -> JobSettings {
        let backend = reader.choice("JOBS_BACKEND", default: redisConfigured ? Backend.redis : .database)
        if backend == .redis && !redisConfigured {
            reader.report("JOBS_BACKEND", "'redis' needs REDIS_URL")
        }
        let worker = JobWorkerConfiguration()  // the worker's own defaults
        return JobSettings(
            backend: backend,
            maxAttempts: reader.integer("JOBS_MAX_ATTEMPTS", default: JobDefaults.maxAttempts, in: 1...1000),
            visibilityTimeout: reader.seconds("JOBS_VISIBILITY_TIMEOUT", default: JobDefaults.visibilityTimeout, in: 1...86_400),
            pollInterval: reader.seconds("JOBS_POLL_INTERVAL", default: JobDefaults.pollInterval, in: 0.01...3600),
            jobTimeout: reader.seconds("JOBS_TIMEOUT", default: worker.defaultJobTimeout, in: 0.001...86_400),
            workerConcurrency: reader.integer("WORKER_CONCURRENCY", default: worker.concurrency, in: 1...10_000),
            workerShutdownTimeout: reader.seconds("WORKER_SHUTDOWN_TIMEOUT", default: worker.shutdownTimeout, in: 0...86_400),
            workerQueues: reader.list("WORKER_QUEUES"),
            embeddedWorker: reader.boolean("WORKER_EMBEDDED", default: false),
            workerMetricsPort: reader.isSet("WORKER_METRICS_PORT") ? reader.integer("WORKER_METRICS_PORT", default: 0, in: 0...65535) : nil)
    }
}
