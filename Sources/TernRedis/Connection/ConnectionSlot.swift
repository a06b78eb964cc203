import Logging
import NIOCore
import Synchronization

/// One of the client's connections, opened on first use and opened again after it breaks.
///
/// After a failed attempt, the slot refuses commands at once until its backoff ends (100 ms, doubling
/// to 1.6 s), so that during an outage requests learn it without waiting for a connect timeout each,
/// and the server is not hammered as it comes back. The backoff also ends as soon as another slot of
/// the client connects: the server is back, and commands should not keep failing for a second more.
final class ConnectionSlot: Sendable {
    /// Counts the connections a client's slots opened: a slot backing off tries again once the count
    /// moved past what it was when its attempt failed.
    final class Connections: Sendable {
        private let opened = Atomic<Int>(0)
        var count: Int { opened.load(ordering: .relaxed) }
        func recordOpened() { opened.add(1, ordering: .relaxed) }
        init() {}
    }

    private enum State {
        case idle
        case connecting(Task<RedisConnection, any Error>)
        case connected(RedisConnection)
        case backingOff(until: ContinuousClock.Instant, failures: Int, error: RedisError, openedBefore: Int)
        case closed
    }

    private enum Next {
        case use(RedisConnection)
        case wait(Task<RedisConnection, any Error>)
        case fail(RedisError)
    }

    private let state = Mutex(State.idle)
    private let configuration: RedisConfiguration
    private let eventLoop: any EventLoop
    private let connections: Connections
    private let logger: Logger

    /// - Parameter connections: shared by the client's slots.
    init(configuration: RedisConfiguration, eventLoop: any EventLoop, connections: Connections, logger: Logger) {
        self.configuration = configuration
        self.eventLoop = eventLoop
        self.connections = connections
        self.logger = logger
    }

    /// The open connection, or a new one.
    func connection() async throws(RedisError) -> RedisConnection {
        let next = state.withLock { state -> Next in
            switch state {
            case .connected(let connection) where connection.isActive:
                return .use(connection)
            case .connecting(let attempt):
                return .wait(attempt)
            case .backingOff(let until, _, let error, let openedBefore)
            where ContinuousClock.now < until && connections.count == openedBefore:
                return .fail(error)
            case .closed:
                return .fail(.closed)
            case .idle, .connected, .backingOff:
                let failures = if case .backingOff(_, let failures, _, _) = state { failures } else { 0 }
                let attempt = Task { try await self.connect(after: failures) }
                state = .connecting(attempt)
                return .wait(attempt)
            }
        }
        switch next {
        case .use(let connection):
            return connection
        case .fail(let error):
            throw error
        case .wait(let attempt):
            do {
                return try await attempt.value
            } catch {
                throw error as? RedisError ?? .connectionFailed("\(error)")
            }
        }
    }

    private func connect(after failures: Int) async throws(RedisError) -> RedisConnection {
        let openedBefore = connections.count
        let connection: RedisConnection
        do {
            connection = try await RedisConnection.connect(configuration, on: eventLoop)
        } catch {
            let backoff = Duration.milliseconds(100 * (1 << min(failures, 4)))
            state.withLock { state in
                guard case .connecting = state else { return }
                state = .backingOff(until: .now + backoff, failures: failures + 1, error: error, openedBefore: openedBefore)
            }
            throw error
        }
        let kept = state.withLock { state in
            guard case .connecting = state else { return false }
            state = .connected(connection)
            return true
        }
        guard kept else {  // closed while connecting
            connection.close()
            throw .closed
        }
        connections.recordOpened()
        if failures > 0 { logger.notice("reconnected to Redis", metadata: ["redis": "\(configuration.redactedURL)"]) }
        return connection
    }

    func close() {
        let connection = state.withLock { state -> RedisConnection? in
            defer { state = .closed }
            if case .connected(let connection) = state { return connection }
            return nil
        }
        connection?.close()
    }
}
