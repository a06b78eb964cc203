import CLibPQ
import Foundation
import Synchronization

/// A thread that drives many libpq connections at once: it sends their commands in non-blocking
/// mode and waits for all their sockets in one `poll`, as pgbench does (`poll` is on every system,
/// and its set is a pool's few dozen sockets; an epoll set is the Linux-only next step).
///
/// A statement costs its task one hand-off to this thread and one back, whatever the number of
/// connections; a thread per connection, each sleeping in a blocking libpq call, costs the kernel a
/// context switch per statement per connection. The task never blocks: it suspends until the
/// exchange completes, and the results come back as libpq's `PGresult`s for it to read.
///
/// An exchange, once submitted, always runs to its end (like a blocking call would), so a cancelled
/// task never leaves a connection halfway through a statement.
///
/// The loop is also a `TaskExecutor` (``Database/statementExecutor``): a task that prefers it runs
/// on this thread between statements, sends its next statement itself and is resumed here when the
/// answer arrives, with no hand-off at all, the way pgbench drives its clients.
final class PostgresIOLoop: TaskExecutor, @unchecked Sendable {
    /// What the thread is given: the commands to send on one connection, and how to know that all
    /// their results have arrived.
    final class Exchange: @unchecked Sendable {
        enum End {
            /// Outside pipeline mode: a `NULL` result ends the command (or the simple-query script).
            case null
            /// In pipeline mode: the sync point's result ends every command before it.
            case sync
        }

        let connection: OpaquePointer
        let end: End
        let send: (OpaquePointer) -> Bool
        let continuation: UnsafeContinuation<[OpaquePointer], any Error>
        var results: [OpaquePointer] = []
        /// What the exchange waits for on its socket (`POLLIN`, with `POLLOUT` while output is pending).
        var events: Int16 = 0
        var socket: Int32 = -1

        init(
            connection: OpaquePointer, end: End, expectedResults: Int, send: @escaping (OpaquePointer) -> Bool,
            continuation: UnsafeContinuation<[OpaquePointer], any Error>
        ) {
            self.connection = connection
            self.end = end
            self.send = send
            self.continuation = continuation
            results.reserveCapacity(expectedResults)
        }
    }

    private struct Submissions {
        var exchanges: [Exchange] = []
        /// Tasks that prefer this loop, ready to run.
        var jobs: [UnownedJob] = []
        /// The thread has exited: jobs go to the global executor from now on.
        var hasExited = false
        /// A byte is in the wake-up pipe that the loop has not read yet: no need for another.
        var isWakePending = false
        var isStopping = false
        /// Resumed by the loop's thread as it exits.
        var onStop: CheckedContinuation<Void, Never>?
    }

    /// The loop sleeps in `poll`; a byte written here wakes it to take new exchanges.
    private let wakeReader: Int32
    private let wakeWriter: Int32
    private let submitted = Mutex(Submissions())
    /// Exchanges waiting for their socket; touched by the loop's thread only.
    private var waiting: [Exchange] = []
    /// The ones a `poll` found ready, and the rest: kept between turns so that a turn allocates nothing.
    private var ready: [Exchange] = []
    private var stillWaiting: [Exchange] = []
    /// The loop's thread, once it runs (`pthread_self`), to tell when a caller is on it.
    private let thread = Atomic<UInt>(0)

    init() {
        var ends: [Int32] = [0, 0]
        precondition(pipe(&ends) == 0, "cannot create the PostgreSQL I/O loop: \(String(cString: strerror(errno)))")
        (wakeReader, wakeWriter) = (ends[0], ends[1])
        for end in ends {
            _ = fcntl(end, F_SETFL, fcntl(end, F_GETFL) | O_NONBLOCK)
            _ = fcntl(end, F_SETFD, FD_CLOEXEC)
        }
        let thread = Thread { [self] in run() }
        thread.name = "tern-postgres-io"
        thread.start()
    }

    /// Whether the caller runs on this loop's thread (a task that prefers it).
    var isCurrent: Bool {
        thread.load(ordering: .relaxed) == Self.currentThread
    }

    private static var currentThread: UInt {
        #if canImport(Glibc)
        UInt(pthread_self())
        #else
        UInt(bitPattern: pthread_self())
        #endif
    }

    /// Runs a task that prefers this loop on its thread, in the loop's next turn.
    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let isCurrent = isCurrent
        let (accepted, shouldWake) = submitted.withLock { state in
            guard !state.hasExited else { return (false, false) }
            state.jobs.append(job)
            // The loop looks for work before it sleeps again: no need to wake it from its own thread.
            guard !isCurrent else { return (true, false) }
            defer { state.isWakePending = true }
            return (true, !state.isWakePending)
        }
        // A task still preferring the loop after the database closed runs on the global executor.
        if !accepted { globalConcurrentExecutor.enqueue(ExecutorJob(job)) }
        if shouldWake { wake() }
    }

    /// Sends what `send` queues on `connection` (which must be in non-blocking mode and used by no
    /// one else meanwhile) and returns every result up to `end` (`expectedResults` of them, usually:
    /// room is made for that many). The caller clears the results.
    func exchange(
        on connection: OpaquePointer, until end: Exchange.End, expectedResults: Int, _ send: @escaping (OpaquePointer) -> Bool
    ) async throws -> [OpaquePointer] {
        try await withUnsafeThrowingContinuation { continuation in
            let exchange = Exchange(
                connection: connection, end: end, expectedResults: expectedResults, send: send, continuation: continuation)
            // A task running on this loop sends at once; the loop is not waiting in `poll` meanwhile.
            if isCurrent { return start(exchange) }
            let (accepted, shouldWake) = submitted.withLock { state in
                guard !state.isStopping else { return (false, false) }
                state.exchanges.append(exchange)
                defer { state.isWakePending = true }
                return (true, !state.isWakePending)
            }
            guard accepted else {
                return continuation.resume(throwing: DatabaseError(.closed, "the database has been closed"))
            }
            if shouldWake { wake() }
        }
    }

    deinit {
        // Closed here rather than by the exiting thread: a submitter that raced with the shutdown
        // may still write its wake-up byte, and must not write into a reused descriptor.
        close(wakeReader)
        close(wakeWriter)
    }

    /// Stops the thread once it has finished the exchanges under way; later calls return at once.
    func shutdown() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let isFirst = submitted.withLock { state in
                guard !state.isStopping else { return false }
                (state.isStopping, state.onStop) = (true, continuation)
                return true
            }
            guard isFirst else { return continuation.resume() }
            wake()
        }
    }

    private func wake() {
        var byte: UInt8 = 1
        _ = write(wakeWriter, &byte, 1)
    }

    // MARK: The loop's thread

    private func run() {
        thread.store(Self.currentThread, ordering: .relaxed)
        var descriptors: [pollfd] = []
        var newExchanges: [Exchange] = []
        var newJobs: [UnownedJob] = []
        while true {
            // Work added from this thread (a task's next statement, a task resumed) wakes nothing:
            // with some pending, `poll` only looks.
            let hasPendingWork = submitted.withLock { !$0.jobs.isEmpty || !$0.exchanges.isEmpty }
            descriptors.removeAll(keepingCapacity: true)
            // With work pending and no socket to look at, `poll` would only find a wake-up byte,
            // which says no more than the work itself: a task whose answer came back at once (the
            // usual case on a busy machine) goes on to its next statement without a system call.
            if !hasPendingWork || !waiting.isEmpty {
                descriptors.append(pollfd(fd: wakeReader, events: Int16(POLLIN), revents: 0))
                for exchange in waiting { descriptors.append(pollfd(fd: exchange.socket, events: exchange.events, revents: 0)) }
                guard poll(&descriptors, nfds_t(descriptors.count), hasPendingWork ? 0 : -1) >= 0 || errno == EINTR else {
                    preconditionFailure("poll failed: \(String(cString: strerror(errno)))")
                }
            }
            // A ready exchange leaves the list; advancing it puts it back if it has to wait again.
            for (exchange, descriptor) in zip(waiting, descriptors.dropFirst()) {
                if descriptor.revents != 0 { ready.append(exchange) } else { stillWaiting.append(exchange) }
            }
            swap(&waiting, &stillWaiting)
            stillWaiting.removeAll(keepingCapacity: true)
            for exchange in ready { advance(exchange) }
            ready.removeAll(keepingCapacity: true)
            // (No `poll` this turn, no look at the pipe: a byte left there wakes the next blocking one.)
            if let wakeUp = descriptors.first, wakeUp.revents != 0 {
                // One read empties the pipe: a byte is written only while none is pending
                // (`isWakePending`), so it holds a few at most. A read until `EAGAIN` would make a
                // second system call on every wake-up, and a byte left behind only wakes one more turn.
                withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 64) { bytes in
                    _ = read(wakeReader, bytes.baseAddress, bytes.count)
                }
            }
            // The submitted work is swapped for the loop's emptied arrays, not copied out: emptying
            // the shared arrays while a copy of them lived would allocate new ones on every turn.
            let isStopping = submitted.withLock { state in
                swap(&state.exchanges, &newExchanges)
                swap(&state.jobs, &newJobs)
                state.isWakePending = false
                return state.isStopping
            }
            for exchange in newExchanges { start(exchange) }
            newExchanges.removeAll(keepingCapacity: true)
            for job in newJobs { job.runSynchronously(on: asUnownedTaskExecutor()) }
            newJobs.removeAll(keepingCapacity: true)
            if isStopping && waiting.isEmpty { break }
        }
        // A later thread may get the same id.
        thread.store(0, ordering: .relaxed)
        let (leftover, onStop) = submitted.withLock { state in
            state.hasExited = true
            defer { (state.jobs, state.onStop) = ([], nil) }
            return (state.jobs, state.onStop)
        }
        for job in leftover { globalConcurrentExecutor.enqueue(ExecutorJob(job)) }
        onStop?.resume()
    }

    private func start(_ exchange: Exchange) {
        exchange.socket = PQsocket(exchange.connection)
        guard exchange.socket >= 0, exchange.send(exchange.connection) else { return fail(exchange) }
        // Nothing can have come back yet: reading now would be a system call that finds nothing
        // (`EAGAIN`). The socket is polled like the others', and read once it has something.
        let flushed = PQflush(exchange.connection)
        guard flushed >= 0 else { return fail(exchange) }
        wait(exchange, for: flushed == 1 ? Int16(POLLIN | POLLOUT) : Int16(POLLIN))
    }

    /// Moves an exchange on as far as it goes without blocking: flushes what is still to send,
    /// reads what arrived, collects complete results; then waits for the socket, or finishes.
    private func advance(_ exchange: Exchange) {
        let connection = exchange.connection
        let flushed = PQflush(connection)
        guard flushed >= 0, PQconsumeInput(connection) == 1 else { return fail(exchange) }
        // While output is pending, the server may be waiting for us to read before it reads more.
        if flushed == 1 { return wait(exchange, for: Int16(POLLIN | POLLOUT)) }
        while PQisBusy(connection) == 0 {
            guard let result = PQgetResult(connection) else {
                if exchange.end == .null { return finish(exchange) }
                // In pipeline mode a NULL only separates one command's results from the next's.
                continue
            }
            exchange.results.append(result)
            if exchange.end == .sync, PQresultStatus(result) == PGRES_PIPELINE_SYNC { return finish(exchange) }
        }
        wait(exchange, for: Int16(POLLIN))
    }

    private func wait(_ exchange: Exchange, for events: Int16) {
        exchange.events = events
        waiting.append(exchange)
    }

    private func finish(_ exchange: Exchange) {
        exchange.continuation.resume(returning: exchange.results)
    }

    /// The connection failed (the server went away, the socket broke): the error says why, and the
    /// connection's status tells the pool not to reuse it.
    private func fail(_ exchange: Exchange) {
        for result in exchange.results { PQclear(result) }
        exchange.continuation.resume(throwing: PostgresErrorMapping.error(connection: exchange.connection, result: nil))
    }
}

/// The I/O loops of one database: one per core, connections spread over them in turn.
final class PostgresIOLoops: Sendable {
    private let loops: [PostgresIOLoop]
    private let next = Atomic<Int>(0)

    init(count: Int) {
        loops = (0..<max(1, count)).map { _ in PostgresIOLoop() }
    }

    /// The loop for a new connection, or for a task to prefer: each in turn.
    func assign() -> PostgresIOLoop {
        loops[next.wrappingAdd(1, ordering: .relaxed).oldValue % loops.count]
    }

    /// The loop whose thread the caller runs on, if any.
    var current: PostgresIOLoop? {
        loops.first { $0.isCurrent }
    }

    func shutdown() async {
        for loop in loops { await loop.shutdown() }
    }
}
