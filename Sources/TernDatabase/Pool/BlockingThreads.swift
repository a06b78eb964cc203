import NIOPosix

/// The threads on which every libpq and sqlite3 call runs, so that no blocking C call ever occupies a
/// NIO event loop or a Swift concurrency thread.
///
/// There is one thread per connection the database may open. A connection is used by one task at a
/// time, so a job never waits for a thread: the only waiting is the C call itself. An async caller
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

    /// Stops the threads once their current jobs finish.
    func shutdown() async {
        try? await pool.shutdownGracefully()
    }
}
