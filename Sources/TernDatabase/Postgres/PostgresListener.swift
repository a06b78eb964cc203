import CLibPQ
import Foundation
import Logging
import Synchronization

/// What a listener on a PostgreSQL notification channel hears.
public enum DatabaseNotification: Sendable, Hashable {
    /// The listener (re)connected and issued `LISTEN`: notifications sent while it was away are lost,
    /// so whoever waits on them should look for work once now.
    case listening
    /// A `NOTIFY` on the channel, with its payload.
    case notification(payload: String)
}

/// Listens on a PostgreSQL channel (`LISTEN`) on a connection of its own, outside the pool, on a
/// thread of its own: waiting for a notification blocks in `poll(2)`, which must not hold a pool
/// connection nor a NIO or Swift concurrency thread.
///
/// Reconnects with backoff when the connection drops, and says so with ``DatabaseNotification/listening``.
/// Stops within half a second of the stream's consumer going away, or of the database closing.
final class PostgresListener: Sendable {
    private let parameters: PostgresConnectionParameters
    private let channel: String
    private let logger: Logger
    private let stopped = Atomic<Bool>(false)

    init(parameters: PostgresConnectionParameters, channel: String, logger: Logger) {
        self.parameters = parameters
        self.channel = channel
        self.logger = logger
    }

    /// Stops listening within half a second: the stream ends.
    func stop() {
        stopped.store(true, ordering: .relaxed)
    }

    /// Starts the thread; notifications arrive on the stream until it is dropped or cancelled, or
    /// the listener is stopped.
    func start() -> AsyncStream<DatabaseNotification> {
        let (stream, continuation) = AsyncStream.makeStream(of: DatabaseNotification.self, bufferingPolicy: .bufferingNewest(256))
        continuation.onTermination = { [self] _ in stopped.store(true, ordering: .relaxed) }
        let thread = Thread { [self] in
            listen(continuation)
            continuation.finish()
        }
        thread.name = "tern-listen-\(channel)"
        thread.start()
        return stream
    }

    private func listen(_ continuation: AsyncStream<DatabaseNotification>.Continuation) {
        var backoff = 0.1
        while !stopped.load(ordering: .relaxed) {
            if let connection = connect() {
                backoff = 0.1
                continuation.yield(.listening)
                receive(on: connection, continuation)
                PQfinish(connection)
            } else {
                // In slices, so that a stop is seen promptly.
                let deadline = Date().addingTimeInterval(backoff)
                while !stopped.load(ordering: .relaxed) && Date() < deadline { Thread.sleep(forTimeInterval: 0.1) }
                backoff = min(backoff * 2, 5)
            }
        }
    }

    private func connect() -> OpaquePointer? {
        guard let connection = parameters.connect() else { return nil }
        guard PQstatus(connection) == CONNECTION_OK else {
            logger.warning(
                "notification listener could not connect", metadata: ["error": "\(PostgresErrorMapping.lastMessage(connection))"])
            PQfinish(connection)
            return nil
        }
        PQsetNoticeProcessor(connection, { _, _ in }, nil)
        let quoted = "\"" + channel.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        let result = PQexec(connection, "LISTEN \(quoted)")
        defer { PQclear(result) }
        guard PQresultStatus(result) == PGRES_COMMAND_OK else {
            logger.warning("LISTEN failed", metadata: ["error": "\(PostgresErrorMapping.lastMessage(connection))"])
            PQfinish(connection)
            return nil
        }
        return connection
    }

    /// Waits for input in slices of half a second (so a stop is seen promptly) until the connection
    /// breaks or the listener stops.
    private func receive(on connection: OpaquePointer, _ continuation: AsyncStream<DatabaseNotification>.Continuation) {
        while !stopped.load(ordering: .relaxed) {
            var descriptor = pollfd(fd: PQsocket(connection), events: Int16(POLLIN), revents: 0)
            let ready = poll(&descriptor, 1, 500)
            if ready < 0 && errno != EINTR { return }
            guard ready > 0 else { continue }
            guard PQconsumeInput(connection) == 1 else {
                logger.warning(
                    "notification listener lost its connection", metadata: ["error": "\(PostgresErrorMapping.lastMessage(connection))"])
                return
            }
            while let notification = PQnotifies(connection) {
                let payload = String(cString: notification.pointee.extra)
                PQfreemem(notification)
                continuation.yield(.notification(payload: payload))
            }
        }
    }
}
