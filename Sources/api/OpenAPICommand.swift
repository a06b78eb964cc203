import App
import AppCommandLine
import ArgumentParser

/// `api openapi`: prints the OpenAPI document the server serves at `/api/v1/openapi.json`.
struct OpenAPICommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "openapi", abstract: "Print the OpenAPI document (JSON) and exit.")

    func run() async throws {
        let settings = try SettingsLoader.load()
        try await SettingsLoader.reportingFailure {
            print(try await Server.openAPIDocument(settings: settings, logger: SettingsLoader.logger(settings)))
        }
    }
}
