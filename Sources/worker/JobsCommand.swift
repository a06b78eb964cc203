import App
import AppCommandLine
import ArgumentParser
import Foundation
import TernJobs

/// `worker jobs list|retry|purge|stats`: inspects and repairs the queue.
struct JobsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "jobs", abstract: "Inspect and repair the job queue.",
        subcommands: [ListJobs.self, RetryJobs.self, PurgeJobs.self, JobStats.self])
}

/// Runs `body` on the configured job backend, reporting a failure as one line.
private func onBackend(_ body: (any JobBackend) async throws -> Void) async throws {
    let settings = try SettingsLoader.load()
    try await SettingsLoader.reportingFailure {
        try await WorkerProcess.withJobs(settings: settings, logger: SettingsLoader.logger(settings), body)
    }
}

private func printJSON(_ value: some Encodable) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    print(String(decoding: try encoder.encode(value), as: UTF8.self))
}

/// `worker jobs list [--dead | --running] [--queue Q] [--limit N] [--json]`
struct ListJobs: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List waiting jobs (or running, or dead ones).")

    @Flag(help: "Jobs in the dead-letter set.") var dead = false
    @Flag(help: "Jobs a worker is running.") var running = false
    @Option(help: "Only this queue.") var queue: String?
    @Option(help: "At most this many.") var limit = 100
    @Flag(help: "As JSON.") var json = false

    func run() async throws {
        let state: JobState = dead ? .dead : running ? .running : .queued
        try await onBackend { backend in
            let jobs = try await backend.list(state, queue: queue, limit: limit)
            if json { return try printJSON(jobs) }
            print("id\tqueue\tname\tattempt\trun_at\tlast_error")
            for job in jobs {
                let runAt = ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: Double(job.runAt) / 1000))
                print("\(job.id)\t\(job.queue)\t\(job.name)\t\(job.attempt)/\(job.maxAttempts)\t\(runAt)\t\(job.lastError ?? "")")
            }
        }
    }
}

/// `worker jobs retry ID | --all-dead`
struct RetryJobs: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "retry", abstract: "Put a dead job (or all of them) back in its queue with fresh attempts.")

    @Argument(help: "The id of a dead job.") var id: String?
    @Flag(help: "Every dead job.") var allDead = false

    func validate() throws {
        guard (id != nil) != allDead else { throw ValidationError("give a job id or --all-dead") }
    }

    func run() async throws {
        try await onBackend { backend in
            if let id {
                guard try await backend.retryDead(id: id) else {
                    SettingsLoader.printError("no dead job with id \(id)")
                    throw ExitCode.failure
                }
                print("retried 1 job")
            } else {
                print("retried \(try await backend.retryAllDead()) jobs")
            }
        }
    }
}

/// `worker jobs purge --dead`
struct PurgeJobs: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "purge", abstract: "Delete every job in the dead-letter set.")

    @Flag(help: "Required: the dead-letter set is what is purged.") var dead = false

    func validate() throws {
        guard dead else { throw ValidationError("say what to purge: --dead") }
    }

    func run() async throws {
        try await onBackend { backend in print("purged \(try await backend.purgeDead()) dead jobs") }
    }
}

/// `worker jobs stats [--json]`
struct JobStats: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats", abstract: "Jobs per queue: waiting, running, dead, oldest waiting.")

    @Flag(help: "As JSON.") var json = false

    func run() async throws {
        try await onBackend { backend in
            let stats = try await backend.stats()
            if json { return try printJSON(stats) }
            print("queue\tqueued\trunning\tdead\toldest_age_s")
            for queue in stats {
                print("\(queue.queue)\t\(queue.queued)\t\(queue.running)\t\(queue.dead)\t\(Double(queue.oldestAgeMilliseconds) / 1000)")
            }
        }
    }
}
