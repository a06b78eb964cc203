import Logging
import Synchronization
import TernPrimitives

/// A bounded set of connections, lent to one task at a time, with the threads their calls run on.
///
/// - Connections open lazily, up to `maxConnections`; an idle one is reused before a new one opens.
/// - A task that finds every connection busy waits in line, at most `acquireTimeout`; then it gets
///   ``DatabaseError/Kind-swift.enum/poolExhausted`` (an HTTP 503), never an endless hang. One sweeper
///   task per pool enforces the deadlines, only while someone waits.
/// - A connection that broke, or that comes back inside a transaction, is closed instead of reused,
///   and its place goes to the next task in line.
/// - An unreachable database and an exhausted pool are logged once per incident, not once per request.
final class ConnectionPool: Sendable {
    /// Limits of a pool.
    struct Limits: Sendable {
        var maxConnections: Int
        var acquireTimeout: Duration
    }

    private enum Handoff: Sendable {
        /// An open connection, ready to use.
        case connection(any PooledConnection)
        /// Permission to open a new connection.
        case slot
    }

    private typealias Waiter = WaitingLine<Handoff>.Continuation

    private struct State: ~Copyable {
        var idle: [any PooledConnection] = []
        /// Connections open, being opened, or promised to a waiter.
        var open = 0
        var waiters = WaitingLine<Handoff>()
        var isClosed = false
        /// Tasks in ``close(timeout:)`` waiting for the last lent connection.
        var drained: [(id: Int, continuation: CheckedContinuation<Bool, Never>)] = []
        var lastDrainedID = 0
    }

    let role: ConnectionRole
    /// The threads every call on this pool's connections runs on.
    let threads: BlockingThreads
    /// Logs outages and exhaustion once per incident.
    let incidents: PoolIncidents
    private let limits: Limits
    private let factory: any ConnectionFactory
    private let logger: Logger
    private let state = Mutex(State())

    /// What the pool is doing now, named `pool`.
    func statistics(named pool: String) -> PoolStatistics {
        state.withLock { state in
            PoolStatistics(
                pool: pool, inUse: state.open - state.idle.count, idle: state.idle.count, waiting: state.waiters.count,
                maxConnections: limits.maxConnections)
        }
    }

    init(role: ConnectionRole, limits: Limits, factory: some ConnectionFactory, threadCount: Int, logger: Logger) {
        self.role = role
        self.limits = limits
        self.factory = factory
        self.logger = logger
        self.incidents = PoolIncidents(logger: logger)
        self.threads = BlockingThreads(count: threadCount)
    }

    // MARK: Lending

    /// Lends a connection: an idle one, a new one, or the next one released within the timeout.
    func acquire() async throws -> any PooledConnection {
        let immediate: Handoff? = try state.withLock { state in
            guard !state.isClosed else { throw DatabaseError(.closed, "the database has been closed") }
            return Self.takeWithoutWaiting(&state, maxConnections: limits.maxConnections)
        }
        let handoff: Handoff
        if let immediate {
            handoff = immediate
        } else {
            handoff = try await waitInLine()
        }
        switch handoff {
        case .connection(let connection):
            connection.shouldCheckLiveness = true
            return connection
        case .slot:
            return try await openConnection()
        }
    }

    /// Takes back a lent connection; reuses it, or closes it if it is no longer fit for use.
    func release(_ connection: any PooledConnection) {
        let reusable = connection.isReusable
        let (reused, waiter): (Bool, Waiter?) = state.withLock { state in
            guard reusable && !state.isClosed else { return (false, nil) }
            if let waiter = state.waiters.popFirst() { return (true, waiter) }
            state.idle.append(connection)
            return (true, nil)
        }
        if reused {
            if let waiter {
                waiter.resume(returning: .connection(connection))
            } else {
                incidents.exhausted.resolved(quietFor: .seconds(1))
            }
        } else {
            // The place is freed only once the connection is closed, so that `close()` waits for it.
            Task { [threads] in
                _ = try? await threads.run { connection.close() }
                self.state.withLock { Self.giveUpSlot(&$0) }?.resume(returning: .slot)
            }
        }
    }

    // MARK: Shutting down

    /// Refuses new work, fails waiting tasks, closes every connection once it is returned, and stops
    /// the threads. A connection not returned within `timeout` (a leaked lease, a statement that
    /// never ends) is left behind with a warning rather than waited for forever.
    func close(timeout: Duration) async {
        let (idle, waiters): ([any PooledConnection], [Waiter]) = state.withLock { state in
            state.isClosed = true
            let idle = state.idle
            state.open -= idle.count
            state.idle = []
            return (idle, state.waiters.removeAll())
        }
        for waiter in waiters {
            waiter.resume(throwing: DatabaseError(.closed, "the database has been closed"))
        }
        for connection in idle {
            _ = try? await threads.run { connection.close() }
        }
        let drained = await waitUntilDrained(timeout: timeout)
        if !drained {
            let lent = state.withLock { $0.open }
            logger.warning(
                "closing the database while connections are still lent out",
                metadata: ["connections": "\(lent)", "waited": "\(timeout)"])
        }
        await threads.shutdown(waiting: drained)
        // Connections still lent out after the timeout keep what they share, as they keep their threads.
        if drained { await factory.shutdown() }
    }

    /// Waits until every lent connection came back and was closed; `false` if `timeout` passed first.
    private func waitUntilDrained(timeout: Duration) async -> Bool {
        let id = state.withLock { state in
            state.lastDrainedID += 1
            return state.lastDrainedID
        }
        return await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
            let waiting = state.withLock { state in
                guard state.open > 0 else { return false }
                state.drained.append((id, continuation))
                return true
            }
            guard waiting else { return continuation.resume(returning: true) }
            Task {
                try? await Task.sleep(for: timeout)
                let expired = self.state.withLock { state in
                    state.drained.firstIndex { $0.id == id }.map { state.drained.remove(at: $0).continuation }
                }
                expired?.resume(returning: false)
            }
        }
    }

    // MARK: Internals

    private static func takeWithoutWaiting(_ state: inout State, maxConnections: Int) -> Handoff? {
        if let connection = state.idle.popLast() { return .connection(connection) }
        if state.open < maxConnections {
            state.open += 1
            return .slot
        }
        return nil
    }

    /// Hands a freed place to the next waiter, or shrinks the pool; returns the waiter to resume.
    private static func giveUpSlot(_ state: inout State) -> Waiter? {
        if !state.isClosed, let waiter = state.waiters.popFirst() { return waiter }
        state.open -= 1
        if state.open <= 0 {
            for waiting in state.drained { waiting.continuation.resume(returning: true) }
            state.drained = []
        }
        return nil
    }

    private func waitInLine() async throws -> Handoff {
        let id = state.withLock { $0.waiters.nextID() }
        let deadline = ContinuousClock.now + limits.acquireTimeout
        return try await withTaskCancellationHandler {
            try await withUnsafeThrowingContinuation { continuation in
                let (immediate, startSweeper): (Result<Handoff, any Error>?, Bool) = state.withLock { state in
                    if state.isClosed {
                        return (.failure(DatabaseError(.closed, "the database has been closed")), false)
                    }
                    // Cancelled before joining the line: `onCancel` already ran and found no one to fail.
                    if Task.isCancelled { return (.failure(CancellationError()), false) }
                    // A connection may have come back since the first look.
                    if let handoff = Self.takeWithoutWaiting(&state, maxConnections: limits.maxConnections) {
                        return (.success(handoff), false)
                    }
                    return (nil, state.waiters.append(id: id, deadline: deadline, continuation: continuation))
                }
                if let immediate { continuation.resume(with: immediate) }
                if startSweeper { Task { await self.sweepExpiredWaiters() } }
            }
        } onCancel: {
            state.withLock { $0.waiters.remove(id: id) }?.resume(throwing: CancellationError())
        }
    }

    /// Fails waiters whose deadline passed, for as long as any wait.
    private func sweepExpiredWaiters() async {
        let error = DatabaseError(
            .poolExhausted,
            "no database connection became free within \(limits.acquireTimeout) (all \(limits.maxConnections) busy)")
        await WaitingLine<Handoff>.sweep {
            state.withLock { $0.waiters.removeExpired() }
        } fail: { waiter in
            incidents.failed(error)
            waiter.resume(throwing: error)
        }
    }

    private func openConnection() async throws -> any PooledConnection {
        do {
            let connection = try await threads.run { [factory, role] in try factory.connect(role: role) }
            incidents.succeeded()
            return connection
        } catch {
            incidents.failed(error)
            state.withLock { Self.giveUpSlot(&$0) }?.resume(returning: .slot)
            throw error
        }
    }
}
