import Logging
import ServiceLifecycle
import TernDatabase
import TernPrimitives

/// Moves jobs from the outbox to their queue as their transactions commit: woken by this process's
/// commits and, on PostgreSQL, by every process's (`LISTEN`); looks anyway every `pollInterval`, so
/// rows left by a process that died are relayed too. Runs in every `api` and `worker` process that
/// uses the Redis backend; relays take turns, so any number is safe.
public struct OutboxRelay: Service {
    let outbox: JobOutbox
    let backend: any JobBackend
    let pollInterval: Duration
    let logger: Logger

    public init(outbox: JobOutbox, backend: any JobBackend, pollInterval: Duration = JobDefaults.pollInterval, logger: Logger) {
        self.outbox = outbox
        self.backend = backend
        self.pollInterval = pollInterval
        self.logger = logger
    }

    public func run() async throws {
        let notifications = outbox.database.notifications(on: JobOutbox.notificationChannel)
        let listener = Task { [wake = outbox.wake] in
            guard let notifications else { return }
            for await _ in notifications { wake.signal() }
        }
        defer { listener.cancel() }
        await cancelWhenGracefulShutdown {
            var failures = FailureStreak(
                logger: logger, failure: "outbox relay failed; the jobs stay in the outbox", recovery: "outbox relay recovered")
            while !Task.isCancelled {
                do {
                    while try await outbox.relay(to: backend, logger: logger) > 0 {}
                    failures.succeeded()
                    await outbox.wake.wait(upTo: pollInterval)
                } catch {
                    failures.failed(error)
                    try? await Task.sleep(for: min(pollInterval * failures.count, .seconds(10)))
                }
            }
        }
        // A last pass, for jobs committed while shutting down.
        _ = try? await outbox.relay(to: backend, logger: logger)
    }
}
