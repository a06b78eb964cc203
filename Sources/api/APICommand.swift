import ArgumentParser

/// `api`: the service's command line.
@main
struct APICommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "api",
        abstract: "Tern: a REST service on Hummingbird, PostgreSQL or SQLite.",
        subcommands: [ServeCommand.self, MigrateCommand.self, OpenAPICommand.self, RoutesCommand.self])
}
