import App
import AppCommandLine
import ArgumentParser

/// `api routes [--json]`: lists every route with the dependencies it resolves, the credentials and
/// scopes it requires and its rate limits, as the server would serve them with these settings.
struct RoutesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "routes", abstract: "List every route with its dependencies, security and rate limits, and exit.")

    @Flag(help: "Print JSON (an array of routes) instead of a table.")
    var json = false

    func run() async throws {
        let settings = try SettingsLoader.load()
        try await SettingsLoader.reportingFailure {
            print(try await Server.routes(settings: settings, logger: SettingsLoader.logger(settings), json: json))
        }
    }
}
