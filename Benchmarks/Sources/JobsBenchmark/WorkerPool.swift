import Logging
import TernJobs

/// How the workers of a measurement run: `instances` ``JobWorker``s in this process, each running
/// up to `concurrency` jobs at once.
struct WorkerLayout: CustomStringConvertible {
    var instances: Int
    var concurrency: Int

    var description: String { "\(instances) JobWorker(s) x concurrency \(concurrency), in one process" }
}

/// Running workers: started together, stopped together (gracefully, as on SIGTERM).
final class WorkerPool {
    private let workers: [JobWorker]
    private let tasks: [Task<Void, any Error>]

    init(_ layout: WorkerLayout, backend: any JobBackend, handlers: JobHandlers) {
        var logger = Logger(label: "bench.worker")
        logger.logLevel = .warning
        workers = (0..<layout.instances).map { _ in
            JobWorker(
                backend: backend, handlers: handlers, configuration: JobWorkerConfiguration(concurrency: layout.concurrency),
                logger: logger)
        }
        tasks = workers.map { worker in Task { try await worker.run() } }
    }

    func stop() async throws {
        for worker in workers { worker.stop() }
        for task in tasks { try await task.value }
    }
}
