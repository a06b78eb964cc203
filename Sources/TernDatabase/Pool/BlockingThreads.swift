import NIOPosix

/// The threads on which every blocking libpq and sqlite3 call runs, so that none ever occupies a NIO
/// event loop or a Swift concurrency thread.
///
/// Each connection pool owns one set: on SQLite, as many reader threads as cores (reads are CPU
/// work; at least two, at most the pool size) and one writer thread, which run every statement; on
/// PostgreSQL, whose statements go through ``PostgresIOLoop``s, one thread per connection for
/// connecting, reconnecting and closing, the calls libpq only offers blocking. An async caller
/// suspends while its job runs and resumes with the result.
final class BlockingThreads: Sendable {
    private let pool: NIOThreadPool

    init(count: Int) {
        pool = NIOThreadPool(numberOfThreads: count)
        pool.start()
    }

    /// Runs `job` on one of the threads and returns its result.
    ///
    /// Unlike `NIOThreadPool.runIfActive`, a job whose task is cancelled still runs: a `COMMIT` or a
    /// `ROLLBACK` must not be skipped halfway through a transaction. Only a shut-down pool refuses work.
    func run<T: Sendable>(_ job: @escaping @Sendable () throws -> T) async throws -> T {
        try await withUnsafeThrowingContinuation { continuation in
            pool.submit { state in
                guard case .active = state else {
                    continuation.resume(throwing: DatabaseError(.closed, "the database has been closed"))
                    return
                }
                continuation.resume(with: Result(catching: job))
            }
        }
    }

    /// Stops the threads once their current jobs finish; with `waiting: false`, returns at once and
    /// lets a job that never ends (a statement stuck on a dead server) finish on its own.
    func shutdown(waiting: Bool = true) async {
        if waiting {
            try? await pool.shutdownGracefully()
        } else {
            pool.shutdownGracefully { _ in }
        }
    }
}
