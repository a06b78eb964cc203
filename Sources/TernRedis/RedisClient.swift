import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle
import Synchronization
import Tracing

/// A Redis client shared by the whole process: a few connections, each carrying many commands at once
/// (pipelining), opened on first use and again after they break.
///
/// Nothing here blocks a thread: hiredis serves as the RESP parser inside SwiftNIO channel handlers,
/// so a command costs one write and one read on an event loop, with no thread of its own waiting.
///
/// ```swift
/// let redis = try RedisClient(configuration: RedisConfiguration(url: "redis://localhost:6379/0"), logger: logger)
/// try await redis.send("SET", "greeting", "hello")
/// let greeting = try await redis.send("GET", "greeting").string
/// ```
///
/// As a `Service`, the client closes its connections when the service group shuts down.
public final class RedisClient: Service {
    public let configuration: RedisConfiguration
    private let slots: [ConnectionSlot]
    private let nextSlot = Atomic<Int>(0)
    private let metrics = RedisMetrics()

    public init(
        configuration: RedisConfiguration, eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        logger: Logger
    ) {
        self.configuration = configuration
        let connections = ConnectionSlot.Connections()
        slots = (0..<configuration.connectionCount).map { _ in
            ConnectionSlot(configuration: configuration, eventLoop: eventLoopGroup.next(), connections: connections, logger: logger)
        }
    }

    /// Runs one command; an error reply is thrown.
    @discardableResult
    public func send(_ arguments: RedisArgument...) async throws(RedisError) -> RedisValue {
        try await send(arguments: arguments)
    }

    /// Runs one command; an error reply is thrown.
    @discardableResult
    public func send(arguments: [RedisArgument]) async throws(RedisError) -> RedisValue {
        let reply = try await pipeline([arguments])[0]
        if case .error(let error) = reply { throw RedisError(error) }
        return reply
    }

    /// Runs commands in one round trip (not atomically: others' commands may run in between); their
    /// replies in order, error replies as ``RedisValue/error(_:)``.
    public func pipeline(_ commands: [[RedisArgument]]) async throws(RedisError) -> [RedisValue] {
        guard !commands.isEmpty else { return [] }
        // Redis does not answer an empty command: the replies after it would go to the wrong callers.
        guard commands.allSatisfy({ !$0.isEmpty }) else { throw .protocolError("a command without a name") }
        let slot = slots[nextSlot.wrappingAdd(1, ordering: .relaxed).oldValue % slots.count]
        let start = ContinuousClock.now
        let span = Self.startSpan(commands)
        defer { span?.end() }
        do {
            let replies = try await slot.connection().send(commands)
            metrics.sent(commands, in: .now - start)
            return replies
        } catch {
            metrics.failed()
            span?.recordError(error)
            throw error
        }
    }

    /// A client span per round trip for the tracer the process bootstrapped, named by the command
    /// (`GET`), or `PIPELINE` for several; never with their arguments. None when no tracer is
    /// bootstrapped (the default): then no tracer is looked up per command either.
    private static func startSpan(_ commands: [[RedisArgument]]) -> (any Span)? {
        if InstrumentationSystem.instrument is NoOpInstrument { return nil }
        let name = commands.count == 1 ? commands[0].commandName : "PIPELINE"
        let span = InstrumentationSystem.tracer.startAnySpan(name, ofKind: .client)
        // A span the tracer does not sample records nothing: its attributes would be dropped.
        guard span.isRecording else { return span }
        span.attributes["db.system.name"] = "redis"
        span.attributes["db.operation.name"] = name
        if commands.count > 1 { span.attributes["db.operation.batch.size"] = commands.count }
        return span
    }

    /// Runs a script with `EVALSHA`; when the server does not hold it (after a restart or
    /// `SCRIPT FLUSH`), with `EVAL`, which runs it and loads it for the next time in one round trip
    /// (a `SCRIPT LOAD` then `EVALSHA` could meet another flush in between).
    @discardableResult
    public func run(_ script: RedisScript, keys: [String], arguments: [RedisArgument] = []) async throws(RedisError) -> RedisValue {
        let call: [RedisArgument] = [.integer(Int64(keys.count))] + keys.map { .string($0) } + arguments
        do {
            return try await send(arguments: ["EVALSHA", .string(script.sha1)] + call)
        } catch .noScript {
            return try await send(arguments: ["EVAL", .string(script.source)] + call)
        }
    }

    /// Closes every connection; commands after this fail with ``RedisError/closed``.
    public func close() {
        for slot in slots { slot.close() }
    }

    public func run() async throws {
        try? await gracefulShutdown()
        close()
    }
}
