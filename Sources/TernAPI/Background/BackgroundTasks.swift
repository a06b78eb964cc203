import Logging
import Synchronization

/// FastAPI's `BackgroundTasks`: work an operation schedules to run in this process once its
/// response has been sent, so the client does not wait for it.
///
/// ```swift
/// @Input struct SignUpInput {
///     @Body var user: UserRegister
///     @Depends var background: BackgroundTasks
/// }
/// ...
/// input.background.add("warm the cache") { await cache.warm(user.id) }
/// ```
///
/// **Best effort**: tasks run only when the operation succeeded, after the last byte of the response
/// was written; they are lost if the process stops first, and a task that throws is only logged.
/// Work that must not be lost (an email, a payment) belongs in the job queue (`TernJobs`), enqueued
/// in the request's transaction.
public final class BackgroundTasks: Dependency, Sendable {
    private let tasks = Mutex<[(name: String, run: @Sendable () async throws -> Void)]>([])
    private let logger: Logger

    init(logger: Logger) {
        self.logger = logger
    }

    public static func resolve(_: NoInput, in scope: RequestScope) async throws -> BackgroundTasks {
        let tasks = BackgroundTasks(logger: scope.logger)
        scope.afterResponse { await tasks.runAll() }
        return tasks
    }

    /// Schedules `task` to run after the response; tasks run one after another, in the order added.
    public func add(_ name: String, _ task: @escaping @Sendable () async throws -> Void) {
        tasks.withLock { $0.append((name, task)) }
    }

    /// The tasks scheduled so far, by name (for tests and logs).
    public var names: [String] { tasks.withLock { $0.map(\.name) } }

    func runAll() async {
        let scheduled = tasks.withLock { tasks in
            defer { tasks = [] }
            return tasks
        }
        for task in scheduled {
            do {
                try await task.run()
            } catch {
                logger.error("background task failed", metadata: ["task": "\(task.name)", "error": "\(error)"])
            }
        }
    }
}
