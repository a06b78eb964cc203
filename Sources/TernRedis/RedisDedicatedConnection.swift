import Logging
import NIOCore
import NIOPosix
import Synchronization

/// A connection of one's own, for commands that wait on the server (`XREADGROUP ... BLOCK`, `BLPOP`,
/// `SUBSCRIBE`): on the client's shared connections such a command would hold up every command queued
/// behind it. Opened on first use and again after it breaks; the command timeout is the caller's
/// longest wait plus some slack.
public final class RedisDedicatedConnection: Sendable {
    private let configuration: RedisConfiguration
    private let eventLoop: any EventLoop
    private let connection = Mutex<RedisConnection?>(nil)

    /// - Parameters:
    ///   - configuration: the server, as for the shared ``RedisClient``.
    ///   - longestWait: the longest `BLOCK` the caller will send; replies may take that long.
    ///   - eventLoopGroup: where the connection's event loop comes from.
    public init(
        configuration: RedisConfiguration, longestWait: Duration,
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) {
        var configuration = configuration
        configuration.commandTimeout = longestWait + configuration.commandTimeout
        self.configuration = configuration
        self.eventLoop = eventLoopGroup.next()
    }

    deinit {
        connection.withLock { $0 }?.close()
    }

    /// Runs one command; an error reply is thrown.
    @discardableResult
    public func send(arguments: [RedisArgument]) async throws(RedisError) -> RedisValue {
        let open = try await openConnection()
        let reply: RedisValue
        do {
            reply = try await open.send([arguments])[0]
        } catch {
            // Timed out or broken: the next command opens a fresh connection.
            connection.withLock { if $0 === open { $0 = nil } }
            open.close()
            throw error
        }
        if case .error(let error) = reply { throw RedisError(error) }
        return reply
    }

    public func close() {
        connection.withLock { current in
            current?.close()
            current = nil
        }
    }

    private func openConnection() async throws(RedisError) -> RedisConnection {
        if let open = connection.withLock({ $0 }), open.isActive { return open }
        let fresh = try await RedisConnection.connect(configuration, on: eventLoop)
        connection.withLock { $0 = fresh }
        return fresh
    }
}
