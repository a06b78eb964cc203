import NIOCore
import NIOPosix
import Synchronization
import TernPrimitives

/// One connection to Redis, carrying any number of commands at once: each request is written as it
/// comes and waits for its replies, which arrive in order (see ``RedisChannelHandler``).
///
/// Requests from many tasks are gathered in an outbox and handed to the event loop together: one
/// wake-up of the loop and one flush (one `writev`) for all the commands sent meanwhile, instead of
/// one of each per command. Redis then reads them in one go too.
final class RedisConnection: Sendable {
    private let channel: any Channel
    private let outbox = Mutex<(requests: [RedisRequest], drainScheduled: Bool)>(([], false))

    private init(channel: any Channel) {
        self.channel = channel
    }

    /// Connects, then authenticates, selects the database and pings, in one round trip: a server that
    /// accepts connections but not clients (`max number of clients reached`) fails the connection
    /// here, not the first command.
    static func connect(_ configuration: RedisConfiguration, on eventLoop: any EventLoop) async throws(RedisError) -> RedisConnection {
        let bootstrap = ClientBootstrap(group: eventLoop)
            .connectTimeout(.nanoseconds(configuration.connectTimeout.wholeNanoseconds))
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(
                        RedisChannelHandler(
                            commandTimeout: .nanoseconds(configuration.commandTimeout.wholeNanoseconds),
                            maxReplyBytes: configuration.maxReplyBytes))
                }
            }
        let channel: any Channel
        do {
            channel = try await bootstrap.connect(host: configuration.host, port: configuration.port).get()
        } catch let error as NIOConnectionError {
            // The last attempt's reason ("connection refused"), not the whole list of attempts.
            let reason = error.connectionErrors.last.map { "\($0.error)" } ?? "\(error)"
            throw .connectionFailed("\(configuration.host):\(configuration.port): \(reason)")
        } catch {
            throw .connectionFailed("\(configuration.host):\(configuration.port): \(error)")
        }
        let connection = RedisConnection(channel: channel)
        do {
            try await connection.prepare(configuration)
        } catch {
            connection.close()
            throw error
        }
        return connection
    }

    private func prepare(_ configuration: RedisConfiguration) async throws(RedisError) {
        var commands: [[RedisArgument]] = []
        if let password = configuration.password {
            commands.append(["AUTH"] + (configuration.username.map { [.string($0)] } ?? []) + [.string(password)])
        }
        if configuration.database != 0 { commands.append(["SELECT", .integer(Int64(configuration.database))]) }
        commands.append(["PING"])
        for reply in try await send(commands) {
            // A wrong password or database is a failure to connect, not a command error.
            if case .error(let error) = reply { throw .connectionFailed(error.message) }
        }
    }

    var isActive: Bool { channel.isActive }

    /// Sends commands together; their replies in order, error replies as ``RedisValue/error(_:)``.
    func send(_ commands: [[RedisArgument]]) async throws(RedisError) -> [RedisValue] {
        var buffer = channel.allocator.buffer(capacity: 64)
        for command in commands { RedisCommandEncoder.encode(command, into: &buffer) }
        let replies = channel.eventLoop.makePromise(of: [RedisValue].self)
        let request = RedisRequest(encoded: buffer, commandCount: commands.count, replies: replies)
        let scheduleDrain = outbox.withLock { outbox in
            outbox.requests.append(request)
            defer { outbox.drainScheduled = true }
            return !outbox.drainScheduled
        }
        if scheduleDrain { channel.eventLoop.execute { self.drain() } }
        do {
            return try await replies.futureResult.get()
        } catch let error as RedisError {
            throw error
        } catch {
            throw .connectionLost
        }
    }

    /// On the event loop: writes every request gathered so far, then flushes once. On a channel that
    /// is no longer active (its handler may be gone), the requests fail instead of waiting forever.
    private func drain() {
        let requests = outbox.withLock { outbox in
            defer {
                outbox.requests.removeAll(keepingCapacity: true)
                outbox.drainScheduled = false
            }
            return outbox.requests
        }
        guard channel.isActive else {
            for request in requests { request.replies.fail(RedisError.connectionLost) }
            return
        }
        for request in requests { channel.write(request, promise: nil) }
        channel.flush()
    }

    func close() {
        channel.close(promise: nil)
    }
}
