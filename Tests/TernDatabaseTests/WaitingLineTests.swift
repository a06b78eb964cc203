import Synchronization
import TernPrimitives
import Testing

/// `WaitingLine` with real waiting tasks: the pool's line and the password hasher's are this type,
/// and their own suites show exhaustion, timeouts and cancellation through them.
@Suite("Waiting lines")
struct WaitingLineTests {
    struct TimedOut: Error {}

    /// A line in a lock, as its owners keep it, which tasks join.
    final class Line: Sendable {
        let state = Mutex(WaitingLine<Int>())
        let sweepersStarted = Atomic(0)
        let timeout: Duration

        init(timeout: Duration) {
            self.timeout = timeout
        }

        var count: Int { state.withLock { $0.count } }

        /// A task that waits in the line, returned once it is in it, with its id.
        func join() async throws -> (id: Int, task: Task<Int, any Error>) {
            let before = count
            let id = state.withLock { $0.nextID() }
            let deadline = ContinuousClock.now + timeout
            let task = Task {
                try await withUnsafeThrowingContinuation { continuation in
                    let startSweeper = state.withLock { $0.append(id: id, deadline: deadline, continuation: continuation) }
                    if startSweeper { startSweeping() }
                }
            }
            while count == before { try await Task.sleep(for: .milliseconds(1)) }
            return (id, task)
        }

        /// Whether the line empties within `limit`: awaiting a waiter no one resumes would hang the suite.
        func empties(within limit: Duration = .seconds(10)) async throws -> Bool {
            let end = ContinuousClock.now + limit
            while count > 0 && ContinuousClock.now < end { try await Task.sleep(for: .milliseconds(5)) }
            return count == 0
        }

        private func startSweeping() {
            sweepersStarted.add(1, ordering: .relaxed)
            Task {
                await WaitingLine<Int>.sweep {
                    self.state.withLock { $0.removeExpired() }
                } fail: {
                    $0.resume(throwing: TimedOut())
                }
            }
        }
    }

    @Test("waiters are handed values in arrival order; one taken out by id leaves the line, once")
    func order() async throws {
        let line = Line(timeout: .seconds(60))
        let first = try await line.join()
        let second = try await line.join()
        let third = try await line.join()
        #expect(line.count == 3)

        line.state.withLock { $0.remove(id: second.id) }?.resume(throwing: CancellationError())
        #expect(line.state.withLock { $0.remove(id: second.id) } == nil, "already left")
        line.state.withLock { $0.popFirst() }?.resume(returning: 10)
        line.state.withLock { $0.popFirst() }?.resume(returning: 30)
        #expect(line.state.withLock { $0.popFirst() } == nil)

        #expect(try await first.task.value == 10)
        #expect(try await third.task.value == 30)
        await #expect(throws: CancellationError.self) { try await second.task.value }
        #expect(line.sweepersStarted.load(ordering: .relaxed) == 1, "one sweeper for the line")
    }

    @Test("the sweeper fails a waiter past its deadline, ends with the line, and the next waiter starts another")
    func sweeper() async throws {
        let line = Line(timeout: .milliseconds(50))
        let first = try await line.join()
        try #require(try await line.empties())
        await #expect(throws: TimedOut.self) { try await first.task.value }
        #expect(line.sweepersStarted.load(ordering: .relaxed) == 1)

        let second = try await line.join()
        #expect(line.sweepersStarted.load(ordering: .relaxed) == 2, "the first sweeper ended with the line")
        try #require(try await line.empties())
        await #expect(throws: TimedOut.self) { try await second.task.value }
    }

    @Test("removeExpired takes out, from the front, only the waiters whose deadline passed")
    func expiry() async throws {
        let line = Line(timeout: .seconds(60))
        let joined = ContinuousClock.now
        let waiters = [try await line.join(), try await line.join()]
        let early = line.state.withLock { $0.removeExpired(now: joined) }
        #expect(early.waiters.isEmpty && line.count == 2)
        let nextDeadline = try #require(early.nextDeadline)
        #expect(nextDeadline > joined + .seconds(59) && nextDeadline < .now + .seconds(60))

        let late = line.state.withLock { $0.removeExpired(now: .now + .seconds(61)) }
        #expect(late.waiters.count == 2 && late.nextDeadline == nil && line.count == 0)
        for (index, continuation) in late.waiters.enumerated() { continuation.resume(returning: index) }
        #expect(try await waiters[0].task.value == 0, "in arrival order")
        #expect(try await waiters[1].task.value == 1)
    }

    @Test("removeAll takes every waiter out")
    func removeAll() async throws {
        let line = Line(timeout: .seconds(60))
        let waiters = [try await line.join(), try await line.join()]
        let removed = line.state.withLock { $0.removeAll() }
        #expect(removed.count == 2 && line.count == 0)
        for (index, continuation) in removed.enumerated() { continuation.resume(returning: index) }
        #expect(try await waiters[0].task.value == 0)
        #expect(try await waiters[1].task.value == 1)
    }
}
