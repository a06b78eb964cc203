import NIOPosix

/// Runs blocking or CPU-heavy work (a C library's call, resizing an image, parsing a large file)
/// on NIO's thread pool, off the event loops and Swift's cooperative threads, neither of which may
/// wait: FastAPI's `run_in_threadpool`. The calling task waits without holding a thread; its
/// cancellation skips work that has not started.
///
/// ```swift
/// let thumbnail = try await runInThreadPool { try Thumbnailer.resize(bytes, to: 256) }
/// ```
///
/// The pool has as many threads as the machine has cores: work that only waits (a slow disk, a
/// blocking network call) holds one of them the whole time, so give such work a pool of its own.
public func runInThreadPool<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await NIOThreadPool.singleton.runIfActive(work)
}
