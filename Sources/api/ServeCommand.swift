import App
import ArgumentParser

/// `api serve [--host H] [--port P]`
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve", abstract: "Serve the HTTP API until SIGTERM or SIGINT.")

    @Option(help: "Address to listen on (default: HOST, or 127.0.0.1).")
    var host: String?

    @Option(help: "Port to listen on (default: PORT, or 8000).")
    var port: Int?

    func run() async throws {
        var settings = try SettingsLoader.load(warn: true)
        if let host { settings.host = host }
        if let port { settings.port = port }
        let logger = SettingsLoader.logger(settings)
        try await SettingsLoader.reportingFailure {
            try await Server.run(settings: settings, logger: logger)
        }
    }
}
