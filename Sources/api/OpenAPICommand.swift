import App
import AppCommandLine
import ArgumentParser
import TernAPI

/// `api openapi [--null-style type-array]`: prints the OpenAPI document the server serves at
/// `/api/v1/openapi.json`, or the same in the form code generators read (Clients/TernClient's copy).
struct OpenAPICommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "openapi", abstract: "Print the OpenAPI document (JSON) and exit.")

    @Option(
        help: """
            How a value that may be null is written: any-of (as FastAPI and /openapi.json) or \
            type-array (for swift-openapi-generator, which skips anyOf with null).
            """)
    var nullStyle: OpenAPINullStyle = .anyOf

    func run() async throws {
        let settings = try SettingsLoader.load()
        try await SettingsLoader.reportingFailure {
            let logger = SettingsLoader.logger(settings)
            print(try await Server.openAPIDocument(settings: settings, logger: logger, nullStyle: nullStyle))
        }
    }
}

extension OpenAPINullStyle: ExpressibleByArgument {}
