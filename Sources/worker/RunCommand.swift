import App
import AppCommandLine
import ArgumentParser

/// `worker run [--concurrency N]`
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run jobs until SIGTERM or SIGINT, then let running jobs finish (up to WORKER_SHUTDOWN_TIMEOUT).")

    @Option(help: "Jobs run at once (default: WORKER_CONCURRENCY, or 10).")
    var concurrency: Int?

    @Option(help: "Queues to serve, comma-separated (default: WORKER_QUEUES, or all).")
    var queues: String?

    func run() async throws {
        var settings = try SettingsLoader.load(warn: true)
        if let concurrency { settings.jobs.workerConcurrency = max(1, concurrency) }
        if let queues { settings.jobs.workerQueues = queues.split(separator: ",").map(String.init) }
        let logger = SettingsLoader.logger(settings)
        try await SettingsLoader.reportingFailure {
            try await WorkerProcess.run(settings: settings, logger: logger)
        }
    }
}
