import ArgumentParser

/// `worker`: runs jobs, and inspects and repairs the queue.
@main
struct WorkerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "worker",
        abstract: "Tern's job worker: runs the jobs the API enqueues (same settings as `api`: .env, environment).",
        subcommands: [RunCommand.self, JobsCommand.self])
}
