import App
import AppCommandLine
import ArgumentParser

/// `api serve [--host H] [--port P] [--worker]`
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve", abstract: "Serve the HTTP API until SIGTERM or SIGINT.")

    @Option(help: "Address to listen on (default: HOST, or 127.0.0.1).")
    var host: String?

    @Option(help: "Port to listen on (default: PORT, or 8000).")
    var port: Int?

    @Flag(
        help:
            "Run a job worker in this process too, as `worker run` would (default: WORKER_EMBEDDED). For development: one process sends the emails."
    )
    var worker = false

    func run() async throws {
        var settings = try SettingsLoader.load(warn: true)
        if let host { settings.host = host }
        if let port { settings.port = port }
        if worker { settings.jobs.embeddedWorker = true }
        let logger = SettingsLoader.logger(settings)
        try await SettingsLoader.reportingFailure {
            try await Server.run(settings: settings, logger: logger)
        }
    }
}
