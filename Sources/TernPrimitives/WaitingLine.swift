import NIOCore

/// Tasks waiting, in arrival order, for something another task hands over (a connection, a place to
/// run), each until its deadline; for a bounded resource that fails a waiter in time rather than
/// letting a line grow without bound and answer nobody.
///
/// The line lives in its owner's lock-protected state and only keeps the waiters: the owner decides
/// who is admitted, and resumes the continuations the line gives back outside that lock. One sweeper
/// task per line (``sweep(removeExpired:fail:)``) enforces the deadlines, and only while someone waits.
///
/// All waiters of a line share one timeout, so arrival order is also deadline order: the sweeper
/// looks only at the front.
///
/// What runs for every lease of a pool's connection (``popFirst()`` on an empty line, when one is
/// given back) is `@inlinable`, so that it is specialized for the owner's value: from another module,
/// a generic call would look up the line's metadata and go through value witnesses, inside the lock.
public struct WaitingLine<Value>: ~Copyable {
    /// How a waiter is resumed: with the value handed over, or an error.
    public typealias Continuation = UnsafeContinuation<Value, any Error>

    @usableFromInline
    struct Waiter {
        @usableFromInline let id: Int
        @usableFromInline let deadline: ContinuousClock.Instant
        @usableFromInline let continuation: Continuation

        @inlinable
        init(id: Int, deadline: ContinuousClock.Instant, continuation: Continuation) {
            self.id = id
            self.deadline = deadline
            self.continuation = continuation
        }
    }

    @usableFromInline var waiters = CircularBuffer<Waiter>()
    @usableFromInline var lastID = 0
    @usableFromInline var isSweeping = false

    @inlinable
    public init() {}

    /// How many wait.
    @inlinable
    public var count: Int { waiters.count }

    /// A number no other waiter of this line has, which a waiter is later found by (``remove(id:)``,
    /// when its task is cancelled): taken before the waiter joins, so that the cancellation handler
    /// knows it whichever runs first.
    @inlinable
    public mutating func nextID() -> Int {
        lastID += 1
        return lastID
    }

    /// Puts a waiter at the back of the line. Returns whether the caller must start the sweeper,
    /// because none runs.
    @inlinable
    public mutating func append(id: Int, deadline: ContinuousClock.Instant, continuation: Continuation) -> Bool {
        waiters.append(Waiter(id: id, deadline: deadline, continuation: continuation))
        defer { isSweeping = true }
        return !isSweeping
    }

    /// The waiter at the front, taken out of the line: the next to be handed something.
    @inlinable
    public mutating func popFirst() -> Continuation? {
        waiters.popFirst()?.continuation
    }

    /// The waiter with `id`, taken out of the line; `nil` when it already left it.
    @inlinable
    public mutating func remove(id: Int) -> Continuation? {
        guard let index = waiters.firstIndex(where: { $0.id == id }) else { return nil }
        return waiters.remove(at: index).continuation
    }

    /// Every waiter, taken out of the line.
    public mutating func removeAll() -> [Continuation] {
        defer { waiters.removeAll() }
        return waiters.map(\.continuation)
    }

    /// What ``removeExpired(now:)`` took out, and when the next waiter's deadline falls.
    public struct Expired {
        /// The waiters whose deadline passed, to be failed.
        public var waiters: [Continuation]
        /// The deadline of the front of the line; `nil` when the line is empty, and the sweeper ends.
        public var nextDeadline: ContinuousClock.Instant?
    }

    /// Takes out the waiters whose deadline is at or before `now`; once the line is empty, the sweeper
    /// that called this ends and the next waiter starts another.
    public mutating func removeExpired(now: ContinuousClock.Instant = .now) -> Expired {
        var expired: [Continuation] = []
        while let first = waiters.first, first.deadline <= now {
            expired.append(waiters.removeFirst().continuation)
        }
        if waiters.isEmpty { isSweeping = false }
        return Expired(waiters: expired, nextDeadline: waiters.first?.deadline)
    }

    /// The sweeper: fails the waiters whose deadline passed, sleeping until the next deadline, for as
    /// long as any wait.
    ///
    /// - Parameters:
    ///   - removeExpired: calls ``removeExpired(now:)`` under the owner's lock (and counts what it took
    ///     out, if the owner keeps statistics).
    ///   - fail: resumes an expired waiter with the owner's error, outside the lock.
    public static func sweep(removeExpired: () -> Expired, fail: (Continuation) -> Void) async {
        while true {
            let expired = removeExpired()
            expired.waiters.forEach(fail)
            guard let nextDeadline = expired.nextDeadline else { return }
            try? await Task.sleep(until: nextDeadline, clock: .continuous)
        }
    }
}
