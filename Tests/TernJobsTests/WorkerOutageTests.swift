import Logging
import TernDatabase
import TestSupport
import Testing

@testable import TernJobs

@Suite("Jobs: a worker through an outage", .timeLimit(.minutes(2)))
struct WorkerOutageTests {
    @Test("a streak of failures is logged at its first, at every 30th, and when it ends")
    func failureStreak() {
        struct Outage: Error {}
        let log = LogRecorder()
        var streak = FailureStreak(logger: log.logger, failure: "down", recovery: "up")
        for _ in 1...90 { streak.failed(Outage()) }
        let logged = log.entries.filter { $0.message == "down" }.compactMap { $0.metadata["failed_attempts"].flatMap { Int($0) } }
        #expect(logged == [1, 30, 60, 90])
        #expect(streak.count == 90)
        #expect(streak.backoff == .seconds(5))
        streak.succeeded()
        let ended = log.entries.filter { $0.message == "up" }.map { $0.metadata["failed_attempts"] }
        #expect(ended == ["90"])
        streak.succeeded()
        let endedAgain = log.entries.filter { $0.message == "up" }.count
        #expect(endedAgain == 1)
        streak.failed(Outage())
        let loggedAfterRecovery = log.entries.last?.message == "down" && log.entries.last?.metadata["failed_attempts"] == "1"
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
        let attempts = housekeeping.map { $0.metadata["failed_attempts"].flatMap { Int($0) } }
        #expect(!housekeeping.isEmpty && housekeeping.count <= 8, "\(housekeeping.count) warnings, failed_attempts \(attempts)")
        #expect(attempts.first == 1)
        #expect(attempts.dropFirst().allSatisfy { $0.map { $0.isMultiple(of: 30) } == true })
        #expect(log.messages.contains("could not claim jobs"))
    }
}
