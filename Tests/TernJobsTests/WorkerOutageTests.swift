import Logging
import TernDatabase
import TestSupport
import Testing

@testable import TernJobs

@Suite("Jobs: a worker through an outage", .timeLimit(.minutes(2)))
struct WorkerOutageTests {
    @Test("a streak of failures is logged at its first, at every 30th, and when it ends")
    func failureStreak() {
        var streak = FailureStreak()
        var logged: [Int] = []
        for attempt in 1...90 where streak.failed() { logged.append(attempt) }
        #expect(logged == [1, 30, 60, 90])
        #expect(streak.count == 90)
        #expect(streak.backoff == .seconds(5))
        let ended = streak.succeeded()
        #expect(ended == 90)
        let endedAgain = streak.succeeded()
        #expect(endedAgain == nil)
        let loggedAfterRecovery = streak.failed()
        #expect(loggedAfterRecovery)
        #expect(streak.backoff == .milliseconds(200))
    }

    @Test("with its database unreachable, a worker logs the outage a few times, not once per turn")
    func unreachableDatabase() async throws {
        // Nothing listens on port 1: every claim and every housekeeping turn fails at once.
        let database = Database(
            DatabaseConfiguration(url: try DatabaseURL("postgres://tern@127.0.0.1:1/tern"), connectTimeout: .seconds(1)),
            logger: Logger(label: "test"))
        let log = LogRecorder()
        var configuration = JobWorkerConfiguration.forTests()
        configuration.maintenanceInterval = .milliseconds(10)
        var registry = JobRegistry(services: Journal())
        registry.register(Greeting.self) { job, context in context.services.record(job.text) }
        let worker = JobWorker(
            backend: DatabaseJobBackend(database: database), handlers: registry.handlers, configuration: configuration, logger: log.logger)
        let running = Task { try await worker.run() }
        try await Task.sleep(for: .seconds(2))
        worker.stop()
        try await running.value
        await database.close()

        // About 200 housekeeping turns failed; a warning for each was the old behaviour.
        let housekeeping = log.entries.filter { $0.message == "job housekeeping failed" }
        #expect(!housekeeping.isEmpty && housekeeping.count <= 8, "\(housekeeping.count) warnings")
        #expect(housekeeping.first?.metadata["failed_attempts"] == "1")
        #expect(housekeeping.dropFirst().allSatisfy { (Int($0.metadata["failed_attempts"] ?? "") ?? 0).isMultiple(of: 30) })
        #expect(log.messages.contains("could not claim jobs"))
    }
}
