import Synchronization
import TernPrimitives

/// How much password hashing may be going on and waiting at once.
public struct HashingLimits: Sendable {
    /// Hashes computed at once; memory stays under this × the Argon2 memory.
    public var maxConcurrentHashes: Int
    /// Hashes waiting for a thread; past this, a hash is refused at once. The line empties in about
    /// `maxQueuedHashes / maxConcurrentHashes` hash durations, which is how long a real login can be
    /// kept waiting once a flood of junk ones ends.
    public var maxQueuedHashes: Int
    /// How long a hash may wait for a thread before it is refused.
    public var queueTimeout: Duration

    /// - Parameters:
    ///   - maxConcurrentHashes: hashes computed at once (at least one).
    ///   - maxQueuedHashes: by default as many as can run at once.
    ///   - queueTimeout: how long a hash may wait for a thread before it is refused.
    public init(maxConcurrentHashes: Int = 2, maxQueuedHashes: Int? = nil, queueTimeout: Duration = .seconds(5)) {
        self.maxConcurrentHashes = max(1, maxConcurrentHashes)
        self.maxQueuedHashes = max(0, maxQueuedHashes ?? self.maxConcurrentHashes)
        self.queueTimeout = queueTimeout
    }
}

/// A hash was refused because hashing is at capacity: every thread busy and the queue full, or it
/// waited in line for the whole queue timeout. Asking again after ``retryAfterSeconds`` may succeed;
/// an API answers 503 with `Retry-After`.
public struct PasswordHasherBusy: Error, Sendable, CustomStringConvertible {
    public let retryAfterSeconds: Int

    public init(retryAfterSeconds: Int) {
        self.retryAfterSeconds = retryAfterSeconds
    }

    public var description: String { "password hashing is at capacity; retry after \(retryAfterSeconds) s" }
}

/// What the hasher is doing, for metrics and tests.
public struct HashingStatistics: Sendable, Equatable {
    /// Hashes being computed now, and waiting for a thread.
    public var running = 0
    public var queued = 0
    /// The most hashes ever computed at once.
    public var peakRunning = 0
    /// Hashes computed (verifications included), and refused for lack of capacity.
    public var completed = 0
    public var refused = 0
    /// Times the heaps' free pages were handed back to the system: as a burst of hashes begins (the
    /// first hash while none runs) and as it ends (the last hash, none waiting).
    public var heapReleases = 0
}

/// Admission to the hashing threads: at most `maxConcurrentHashes` run, at most `maxQueuedHashes`
/// wait in arrival order, none waits longer than `queueTimeout`, and a waiter whose task is cancelled
/// leaves the line. A flood of logins thus gets fast refusals instead of a line that grows without
/// bound and answers nobody in time.
final class HashingQueue: Sendable {
    /// Resumed with whether the hash begins a burst: a waiter handed a place never does.
    private typealias Waiter = WaitingLine<Bool>.Continuation

    private struct State: ~Copyable {
        var statistics = HashingStatistics()
        var waiters = WaitingLine<Bool>()

        /// Returns whether this hash begins a burst: none was running.
        mutating func startRunning() -> Bool {
            statistics.running += 1
            statistics.peakRunning = max(statistics.peakRunning, statistics.running)
            return statistics.running == 1
        }
    }

    let limits: HashingLimits
    private let state = Mutex(State())
    private let whenIdle: @Sendable (HashingQueue) -> Void

    /// - Parameter whenIdle: called with this queue, outside its lock, each time the last running
    ///   hash ends with none waiting.
    init(limits: HashingLimits, whenIdle: @escaping @Sendable (HashingQueue) -> Void = { _ in }) {
        self.limits = limits
        self.whenIdle = whenIdle
    }

    /// Counts a release of free heap pages (``HashingStatistics/heapReleases``).
    func recordHeapRelease() {
        state.withLock { $0.statistics.heapReleases += 1 }
    }

    var statistics: HashingStatistics {
        state.withLock { $0.statistics }
    }

    /// Runs `body` once a place is free; throws ``PasswordHasherBusy`` when none frees in time.
    /// `body` learns whether its hash begins a burst (no other hash was running).
    func run<T>(_ body: (_ beginsBurst: Bool) async throws -> T) async throws -> T {
        let beginsBurst = try await enter()
        defer { leave() }
        return try await body(beginsBurst)
    }

    private var busy: PasswordHasherBusy { PasswordHasherBusy(retryAfterSeconds: 1) }

    /// Returns whether this hash begins a burst.
    private func enter() async throws -> Bool {
        enum Admission {
            case now(beginsBurst: Bool)
            case wait, refused
        }
        let admission: Admission = state.withLock { state in
            if state.statistics.running < limits.maxConcurrentHashes {
                return .now(beginsBurst: state.startRunning())
            }
            guard state.waiters.count < limits.maxQueuedHashes else {
                state.statistics.refused += 1
                return .refused
            }
            return .wait
        }
        switch admission {
        case .now(let beginsBurst): return beginsBurst
        case .refused: throw busy
        case .wait: return try await waitInLine()
        }
    }

    /// Hands the place to the next in line, or frees it.
    private func leave() {
        let (next, idle): (Waiter?, Bool) = state.withLock { state in
            state.statistics.completed += 1
            guard let next = state.waiters.popFirst() else {
                state.statistics.running -= 1
                return (nil, state.statistics.running == 0)
            }
            state.statistics.queued -= 1
            return (next, false)
        }
        next?.resume(returning: false)
        if idle { whenIdle(self) }
    }

    /// Returns whether this hash begins a burst: only when a place freed before it joined the line.
    private func waitInLine() async throws -> Bool {
        let id = state.withLock { $0.waiters.nextID() }
        let deadline = ContinuousClock.now + limits.queueTimeout
        return try await withTaskCancellationHandler {
            try await withUnsafeThrowingContinuation { (continuation: Waiter) in
                let (immediate, startSweeper): (Result<Bool, any Error>?, Bool) = state.withLock { state in
                    if Task.isCancelled { return (.failure(CancellationError()), false) }
                    // A place may have freed since the first look.
                    if state.statistics.running < limits.maxConcurrentHashes {
                        return (.success(state.startRunning()), false)
                    }
                    state.statistics.queued += 1
                    return (nil, state.waiters.append(id: id, deadline: deadline, continuation: continuation))
                }
                if let immediate { continuation.resume(with: immediate) }
                if startSweeper { Task { await self.sweepExpiredWaiters() } }
            }
        } onCancel: {
            let waiter = state.withLock { state in
                let waiter = state.waiters.remove(id: id)
                if waiter != nil { state.statistics.queued -= 1 }
                return waiter
            }
            waiter?.resume(throwing: CancellationError())
        }
    }

    /// Refuses waiters whose deadline passed, while any wait.
    private func sweepExpiredWaiters() async {
        await WaitingLine<Bool>.sweep {
            state.withLock { state in
                let expired = state.waiters.removeExpired()
                state.statistics.queued -= expired.waiters.count
                state.statistics.refused += expired.waiters.count
                return expired
            }
        } fail: {
            $0.resume(throwing: busy)
        }
    }
}
