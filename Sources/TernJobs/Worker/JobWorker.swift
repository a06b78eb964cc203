import Foundation
import Logging
import ServiceLifecycle
import Synchronization
import TernPrimitives

/// Runs jobs: claims due jobs from the backend, up to `concurrency` at once, runs their handlers,
/// and acknowledges each only after its handler succeeded (a failed one is retried later with
/// backoff, then dead-lettered). Keeps the leases of running jobs alive, and does the backend's
/// housekeeping and the periodic jobs' ticks.
///
/// As a `Service`, on graceful shutdown (SIGTERM, SIGINT) it stops claiming, gives back jobs claimed
/// but not started, lets running jobs finish for up to `shutdownTimeout`, acknowledges them, and
/// returns; jobs still running then are abandoned to the lease, and other workers reclaim them.
public final class JobWorker: Service {
    public let configuration: JobWorkerConfiguration
    let backend: any JobBackend
    let handlers: JobHandlers
    let logger: Logger
    private let metrics = JobMetrics()
    private let state = Mutex(State())
    private let slotFreed = WakeSignal()
    private let acknowledgementsWaiting = WakeSignal()
    private let stopping = Atomic<Bool>(false)
    /// Set once no job runs any more after a stop (or the shutdown timeout gave up on them).
    private let drained = Atomic<Bool>(false)
    /// Wakes the periodic loops at once when the worker stops.
    private let stopped = WakeSignal()

    private struct State {
        var running: [String: RunningJob] = [:]
        var acknowledgements: [ClaimedJob] = []
        /// The last tick enqueued per schedule, so each is tried once per process.
        var lastTicks: [String: Int64] = [:]
        /// When the queue gauges were last recorded.
        var lastStats: ContinuousClock.Instant?
    }

    /// A job being run: its task, cancelled by ``enforceTimeouts()`` once its deadline passed.
    private struct RunningJob {
        let job: ClaimedJob
        let deadline: ContinuousClock.Instant
        var task: Task<Void, Never>?
        var timedOut = false
    }

    public init(backend: any JobBackend, handlers: JobHandlers, configuration: JobWorkerConfiguration, logger: Logger) {
        self.backend = backend
        self.handlers = handlers
        self.configuration = configuration
        var logger = logger
        logger[metadataKey: "worker"] = "\(configuration.name)"
        self.logger = logger
    }

    /// The queues served, highest priority first.
    public var queues: [JobQueueName] {
        (configuration.queues ?? handlers.queues).sorted { $0.priority > $1.priority }
    }

    public func run() async throws {
        logger.info(
            "worker started",
            metadata: ["queues": "\(queues.map(\.name).joined(separator: ","))", "concurrency": "\(configuration.concurrency)"])
        // The loops run in a task of their own, which cancellation does not reach: cancelling `run()`
        // (outside a service group, in a test) asks for the same orderly stop as a shutdown, and the
        // stop's own waits must still wait. In a cancelled task every sleep returns at once, and a
        // loop that waits between turns would spin and starve the cooperative thread pool.
        let loops = Task { await self.runLoops() }
        await withTaskCancellationOrGracefulShutdownHandler {
            await loops.value
        } onCancelOrGracefulShutdown: {
            self.stop()
        }
        logger.info("worker stopped")
    }

    /// Claims and runs jobs until ``stop()``, then drains.
    private func runLoops() async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.acknowledgeLoop() }
            group.addTask {
                var failures = FailureStreak(
                    logger: self.logger, failure: "could not extend the leases of running jobs", recovery: "extending leases again")
                await self.repeatUntilStopped(every: self.configuration.leaseRefreshInterval) { await self.extendLeases(&failures) }
            }
            group.addTask {
                var failures = FailureStreak(
                    logger: self.logger, failure: "job housekeeping failed", recovery: "job housekeeping recovered")
                await self.repeatUntilStopped(every: self.configuration.maintenanceInterval) { await self.maintain(&failures) }
            }
            group.addTask { await self.enforceTimeouts() }
            await self.claimLoop()
            await self.drain()
            self.drained.store(true, ordering: .relaxed)
            self.acknowledgementsWaiting.signal()
            await group.waitForAll()
        }
    }

    /// Stops claiming; what `run()` does on graceful shutdown.
    public func stop() {
        stopping.store(true, ordering: .relaxed)
        slotFreed.signal()
        stopped.signal()
    }

    private var isStopping: Bool { stopping.load(ordering: .relaxed) }

    // MARK: Claiming

    private func claimLoop() async {
        var failures = FailureStreak(logger: logger, failure: "could not claim jobs", recovery: "claiming jobs again")
        while !isStopping {
            let free = configuration.concurrency - state.withLock { $0.running.count }
            guard free > 0 else {
                await slotFreed.wait(upTo: .seconds(1))
                continue
            }
            do {
                let jobs = try await backend.claim(queues: queues, limit: free, worker: configuration.name, wait: .seconds(1))
                failures.succeeded()
                guard !isStopping else {
                    try? await backend.release(jobs, worker: configuration.name)
                    return
                }
                for job in jobs { start(job) }
            } catch {
                failures.failed(error)
                try? await Task.sleep(for: failures.backoff)
            }
        }
    }

    private func start(_ job: ClaimedJob) {
        let timeout = job.envelope.timeoutMilliseconds.map { Duration.milliseconds($0) } ?? configuration.defaultJobTimeout
        state.withLock { $0.running[job.id] = RunningJob(job: job, deadline: .now + timeout) }
        let task = Task {
            await execute(job, timeout: timeout)
            state.withLock { $0.running[job.id] = nil }
            slotFreed.signal()
        }
        // Unless it finished already.
        state.withLock { $0.running[job.id]?.task = task }
    }

    /// Several times a second, cancels the jobs that outlived their timeout: their attempt fails
    /// (cancellation is cooperative: a handler that ignores it keeps its slot until it returns).
    private func enforceTimeouts() async {
        while !drained.load(ordering: .relaxed) {
            let now = ContinuousClock.now
            let overdue = state.withLock { state in
                var tasks: [Task<Void, Never>] = []
                for (id, running) in state.running where !running.timedOut && running.deadline <= now {
                    state.running[id]?.timedOut = true
                    if let task = running.task { tasks.append(task) }
                }
                return tasks
            }
            for task in overdue { task.cancel() }
            try? await Task.sleep(for: .milliseconds(100))
        }
    }

    private func timedOut(_ job: ClaimedJob) -> Bool {
        state.withLock { $0.running[job.id]?.timedOut ?? false }
    }

    // MARK: Running one job

    private func execute(_ job: ClaimedJob, timeout: Duration) async {
        let clock = ContinuousClock()
        let started = clock.now
        do {
            guard let handler = handlers.entries[job.envelope.name] else {
                // A job from a newer release, perhaps, that a worker not yet updated does not know:
                // retried, so an updated worker gets it.
                throw JobFailure(description: "no handler is registered for '\(job.envelope.name)' in this worker", isPermanent: false)
            }
            do {
                try await handler.run(job, logger)
            } catch  where timedOut(job) {
                throw JobFailure(description: "the job did not finish within \(timeout)", isPermanent: false)
            }
            guard !timedOut(job) else { throw JobFailure(description: "the job did not finish within \(timeout)", isPermanent: false) }
            metrics.processed(job, duration: clock.now - started)
            if logger.logLevel <= .debug {
                jobLogger(job).debug("job done", metadata: ["duration": "\(clock.now - started)"])
            }
            state.withLock { $0.acknowledgements.append(job) }
            acknowledgementsWaiting.signal()
        } catch {
            // In a task of its own: a job that timed out was cancelled, and its cancellation would
            // refuse the statement that records the failure (the job then waited for its lease to
            // run out instead of its retry).
            let logger = jobLogger(job)
            await Task { await recordFailure(of: job, error: error, logger: logger) }.value
        }
    }

    private func jobLogger(_ job: ClaimedJob) -> Logger {
        logger.tagged(jobID: job.id, name: job.envelope.name, attempt: job.attempt)
    }

    private func recordFailure(of job: ClaimedJob, error: any Error, logger: Logger) async {
        let permanent = (error as? JobFailure)?.isPermanent ?? false
        let dead = permanent || job.attempt >= job.envelope.maxAttempts
        let retryAt = dead ? nil : currentMilliseconds() + configuration.retryPolicy.delay(afterAttempt: job.attempt).wholeMilliseconds
        metrics.failed(job, dead: dead)
        let message = String("\(error)".prefix(2000))
        if dead {
            logger.error("job failed for good; moved to the dead-letter set", metadata: ["error": "\(message)"])
        } else {
            logger.warning("job failed; will retry", metadata: ["error": "\(message)", "retry_at_ms": "\(retryAt ?? 0)"])
        }
        do {
            try await backend.fail(job, worker: configuration.name, error: message, retryAt: retryAt)
        } catch {
            // The lease runs out and the job is reclaimed: the failure still counts as an attempt.
            logger.warning("could not record the failure; the job will be reclaimed", metadata: ["error": "\(error)"])
        }
    }

    // MARK: Acknowledging

    /// Acknowledges finished jobs in batches: one round trip for all that finished meanwhile.
    private func acknowledgeLoop() async {
        var failures = FailureStreak(
            logger: logger, failure: "could not acknowledge jobs; will try again", recovery: "acknowledging jobs again")
        while true {
            let batch = state.withLock { state in
                defer { state.acknowledgements = [] }
                return state.acknowledgements
            }
            if batch.isEmpty {
                if isStopping && state.withLock({ $0.running.isEmpty }) { return }
                await acknowledgementsWaiting.wait(upTo: .seconds(1))
                continue
            }
            do {
                try await backend.complete(batch, worker: configuration.name)
                failures.succeeded()
            } catch {
                failures.failed(error, metadata: ["jobs": "\(batch.count)"])
                state.withLock { $0.acknowledgements = batch + $0.acknowledgements }
                guard !(isStopping && failures.count > 5) else { return }
                try? await Task.sleep(for: failures.backoff)
            }
        }
    }

    // MARK: Shutdown

    /// Waits for running jobs to finish, for at most the shutdown timeout.
    private func drain() async {
        let deadline = ContinuousClock.now + configuration.shutdownTimeout
        var running = state.withLock { $0.running.count }
        if running > 0 { logger.info("waiting for running jobs to finish", metadata: ["jobs": "\(running)"]) }
        while running > 0 && ContinuousClock.now < deadline {
            await slotFreed.wait(upTo: min(.milliseconds(200), deadline - ContinuousClock.now))
            running = state.withLock { $0.running.count }
        }
        if running > 0 {
            logger.warning("jobs still running at the shutdown timeout are left to be reclaimed", metadata: ["jobs": "\(running)"])
            state.withLock { $0.running = [:] }
        }
    }

    // MARK: Leases, housekeeping, schedules

    private func repeatUntilStopped(every interval: Duration, _ body: () async -> Void) async {
        while !isStopping {
            await body()
            await stopped.wait(upTo: interval)
        }
    }

    private func extendLeases(_ failures: inout FailureStreak) async {
        let running = state.withLock { $0.running.values.map(\.job) }
        do {
            try await backend.extendLeases(running, worker: configuration.name)
            failures.succeeded()
        } catch {
            failures.failed(error)
        }
    }

    private func maintain(_ failures: inout FailureStreak) async {
        do {
            try await backend.maintain()
            try await enqueuePeriodicJobs()
            try await recordQueueGauges()
            failures.succeeded()
        } catch {
            failures.failed(error)
        }
    }

    /// Queue depths and the age of the oldest waiting job, every 30 seconds (every worker reports
    /// the same figures; a dashboard takes any of them).
    private func recordQueueGauges() async throws {
        let now = ContinuousClock.now
        let due = state.withLock { state in
            guard state.lastStats.map({ now - $0 >= .seconds(30) }) ?? true else { return false }
            state.lastStats = now
            return true
        }
        if due { metrics.record(try await backend.stats()) }
    }

    /// For each schedule whose current minute is a tick, enqueues its job, once across all workers.
    private func enqueuePeriodicJobs() async throws {
        let now = Date()
        let minute = Int64(now.timeIntervalSince1970 / 60) * 60
        for periodic in handlers.schedules where periodic.schedule.matches(Date(timeIntervalSince1970: TimeInterval(minute))) {
            guard state.withLock({ $0.lastTicks[periodic.name] }) != minute else { continue }
            let nowMilliseconds = currentMilliseconds()
            let envelope = JobEnvelope(
                id: UUID().uuidString.lowercased(), name: periodic.jobName, queue: periodic.queue.name,
                priority: periodic.queue.priority, payload: periodic.payload, attempt: 0, maxAttempts: 3,
                timeoutMilliseconds: nil, uniqueKey: nil, runAt: nowMilliseconds, enqueuedAt: nowMilliseconds)
            let enqueued = try await backend.enqueueOnce(envelope, schedule: periodic.name, tick: minute)
            state.withLock { $0.lastTicks[periodic.name] = minute }
            if enqueued { logger.info("periodic job enqueued", metadata: ["schedule": "\(periodic.name)", "tick": "\(minute)"]) }
        }
    }
}
