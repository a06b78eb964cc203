import Logging
import ServiceLifecycle
import TernPrimitives
import TernRedis

/// Messages for the listeners of every process sharing one Redis, through a Redis stream: a
/// message is added to the stream (`XADD`, the stream capped at about ``streamLength`` entries),
/// and each process reads the stream with `XREAD BLOCK` on a connection of its own, handing what
/// it reads to its own listeners.
///
/// A stream rather than `PUBLISH`/`SUBSCRIBE`: it needs no connection in subscriber mode, and a
/// reader that lost its connection for a moment goes on after the last entry it read, so a Redis
/// blip loses nothing that was published meanwhile.
///
/// Run it as a service of the process (it reads until the service group stops).
public final class RedisBroadcaster: Broadcaster, Service {
    /// The most entries the stream keeps (approximately: Redis trims whole nodes).
    public static var streamLength: Int { 10_000 }
    /// How long one read waits for new entries; also how long the service takes to stop.
    static var readWait: Duration { .seconds(1) }

    private let redis: RedisClient
    private let key: String
    private let reader: RedisDedicatedConnection
    private let listeners = Listeners()
    private let logger: Logger
    private let outage = OutageLog(name: "notifications' Redis")

    /// - Parameters:
    ///   - redis: the client the messages are added with; reading takes a connection of its own.
    ///   - key: the stream's key, shared by the processes of one service.
    ///   - logger: where a lost connection to Redis is reported (once per outage).
    public init(redis: RedisClient, key: String = "tern:broadcast", logger: Logger) {
        self.redis = redis
        self.key = key
        self.reader = RedisDedicatedConnection(configuration: redis.configuration, longestWait: Self.readWait)
        self.logger = logger
    }

    public func publish(_ message: String, to topic: String) async throws {
        try await redis.send(
            "XADD", .string(key), "MAXLEN", "~", .integer(Int64(Self.streamLength)), "*", "topic", .string(topic), "message",
            .string(message))
    }

    public func messages(of topic: String) -> AsyncStream<String> {
        listeners.stream(of: topic)
    }

    /// Reads the stream until the service group stops, after a Redis outage too.
    public func run() async throws {
        var last: String?
        await withGracefulShutdownHandler {
            while !Task.isCancelled && !Task.isShuttingDownGracefully {
                do {
                    let position = if let last { last } else { try await currentEnd() }
                    last = try await readEntries(after: position)
                    outage.recovered(logger: logger)
                } catch {
                    // The reader closed by the shutdown handler is no outage.
                    if Task.isCancelled || Task.isShuttingDownGracefully { break }
                    outage.failed(error, logger: logger)
                    try? await Task.sleep(for: .seconds(1))
                }
            }
        } onGracefulShutdown: {
            self.reader.close()
        }
        listeners.finishAll()
        reader.close()
    }

    /// The id of the stream's newest entry: reading starts after it (`0-0` for an empty stream).
    private func currentEnd() async throws -> String {
        let newest = try await redis.send("XREVRANGE", .string(key), "+", "-", "COUNT", "1")
        return newest.array?.first?.array?.first?.string ?? "0-0"
    }

    /// Waits for entries after `position`, delivers them, and returns the id of the last one read.
    private func readEntries(after position: String) async throws -> String {
        let reply = try await reader.send(arguments: [
            "XREAD", "COUNT", "100", "BLOCK", .integer(Int64(Self.readWait / .milliseconds(1))), "STREAMS", .string(key),
            .string(position),
        ])
        var last = position
        // `[[key, [[id, [field, value, ...]], ...]]]`, or null when the wait ran out.
        for entry in reply.array?.first?.array?.dropFirst().first?.array ?? [] {
            guard let fields = entry.array, let id = fields.first?.string else { continue }
            last = id
            let values = fields.dropFirst().first?.array?.compactMap(\.string) ?? []
            var topic: String?
            var message: String?
            for index in stride(from: 0, to: values.count - 1, by: 2) {
                switch values[index] {
                case "topic": topic = values[index + 1]
                case "message": message = values[index + 1]
                default: break
                }
            }
            if let topic, let message { listeners.deliver(message, to: topic) }
        }
        return last
    }
}
