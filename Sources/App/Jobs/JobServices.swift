import Foundation
import Logging
import ServiceLifecycle
import TernJobs
import TernJobsRedis

extension AppServices {
    /// What moves jobs in this process: with the Redis backend, the relay of the transactional
    /// outbox (in every process, so rows left by one that died are relayed too); and, in `worker run`
    /// or `api serve --worker`, a worker running ``AppJobs``.
    func jobServices(includingWorker: Bool, logger: Logger) -> [any Service] {
        var services: [any Service] = []
        if let redisBackend = jobs.backend as? RedisJobBackend {
            services.append(OutboxRelay(outbox: jobOutbox, backend: redisBackend, pollInterval: settings.jobs.pollInterval, logger: logger))
        }
        if includingWorker { services.append(jobWorker(logger: logger)) }
        return services
    }

    /// A worker with the `WORKER_*` settings, running the app's jobs.
    func jobWorker(logger: Logger) -> JobWorker {
        let handlers = AppJobs.registry(services: self).handlers
        let queues =
            settings.jobs.workerQueues.isEmpty
            ? nil : handlers.queues.filter { settings.jobs.workerQueues.contains($0.name) }
        return JobWorker(
            backend: jobs.backend, handlers: handlers,
            configuration: JobWorkerConfiguration(
                concurrency: settings.jobs.workerConcurrency, queues: queues, shutdownTimeout: settings.jobs.workerShutdownTimeout,
                defaultJobTimeout: settings.jobs.jobTimeout,
                leaseRefreshInterval: settings.jobs.visibilityTimeout / 3),
            logger: logger)
    }
}
