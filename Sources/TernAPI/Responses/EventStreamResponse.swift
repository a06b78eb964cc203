import HTTPTypes
import Hummingbird
import OpenAPIKit
import ServiceLifecycle

/// Server-Sent Events (`text/event-stream`): events sent as they happen, each written to the
/// client at once, for as long as the client stays (a browser's `EventSource` reconnects by
/// itself, sending the last event's id in `Last-Event-ID`).
///
/// Proxies are told not to buffer it (`X-Accel-Buffering: no`), caches not to keep it; the
/// compression middleware leaves it alone. Send a ``EventStreamWriter/keepAlive()`` every few
/// seconds while there is nothing to say: proxies close connections that stay silent.
public struct EventStreamResponse: ResponseContent {
    public var headers: HTTPFields
    private let produce: @Sendable (inout EventStreamWriter) async throws -> Void

    public init(headers: HTTPFields = [:], _ produce: @escaping @Sendable (inout EventStreamWriter) async throws -> Void) {
        self.headers = headers
        self.produce = produce
    }

    /// Sends `events` as they come, and a keep-alive comment after every `keepAlive` without one,
    /// until the events end, the client goes (the sequence is then no longer read) or the server
    /// shuts down.
    public init<Events: AsyncSequence & Sendable>(headers: HTTPFields = [:], events: Events, keepAlive: Duration = .seconds(15))
    where Events.Element == ServerSentEvent {
        self.init(headers: headers) { writer in
            // `nil` is a keep-alive's turn; the newest 100 wait for a slow client, older ones are dropped.
            let (merged, continuation) = AsyncStream<ServerSentEvent?>.makeStream(bufferingPolicy: .bufferingNewest(100))
            let forward = Task {
                do {
                    for try await event in events { continuation.yield(event) }
                } catch {}
                continuation.finish()
            }
            let ticks = Task {
                while !Task.isCancelled {
                    try? await Task.sleep(for: keepAlive)
                    continuation.yield(nil)
                }
            }
            defer {
                forward.cancel()
                ticks.cancel()
            }
            // A stream could outlive any graceful shutdown: it ends with it (a browser's EventSource
            // reconnects, to a process that is not stopping).
            try await withGracefulShutdownHandler {
                for await event in merged {
                    if let event { try await writer.send(event) } else { try await writer.keepAlive() }
                }
            } onGracefulShutdown: {
                continuation.finish()
            }
        }
    }

    public func encoded(for request: Request) -> EncodedResponse {
        var headers = self.headers
        headers[.contentType] = "text/event-stream"
        headers[.cacheControl] = "no-cache"
        headers[HTTPField.Name("X-Accel-Buffering")!] = "no"
        let produce = produce
        return EncodedResponse(
            headers: headers,
            body: .stream(
                ResponseBody { output in
                    var writer = EventStreamWriter(output: BufferedBodyWriter(output))
                    try await produce(&writer)
                    try await writer.output.finish()
                }))
    }

    public static func responseDocumentation(components: inout SchemaComponents) -> (mediaType: String, schema: JSONSchema?) {
        ("text/event-stream", .string)
    }
}

/// One Server-Sent Event.
public struct ServerSentEvent: Sendable, Equatable {
    /// The event's type (`EventSource.addEventListener(event, …)`); `message` when `nil`.
    public var event: String?
    /// The data; several lines are sent as several `data:` fields, which the client joins again.
    public var data: String
    /// The id a reconnecting client sends back in `Last-Event-ID`.
    public var id: String?
    /// How long, in milliseconds, a client waits before reconnecting.
    public var retry: Int?

    public init(event: String? = nil, data: String, id: String? = nil, retry: Int? = nil) {
        self.event = event
        self.data = data
        self.id = id
        self.retry = retry
    }

    /// The event in the stream's format. Line breaks in the event's name or id would start new
    /// fields, so they are dropped.
    var encoded: String {
        var text = ""
        if let event { text += "event: \(Self.singleLine(event))\n" }
        if let id { text += "id: \(Self.singleLine(id))\n" }
        if let retry { text += "retry: \(retry)\n" }
        for line in data.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
            text += "data: \(line)\n"
        }
        return text + "\n"
    }

    private static func singleLine(_ value: String) -> String {
        value.filter { !$0.isNewline }
    }
}

/// Sends the events of an ``EventStreamResponse``.
public struct EventStreamWriter {
    var output: BufferedBodyWriter

    /// Sends an event now. Throws once the client has gone: the end of the stream.
    public mutating func send(_ event: ServerSentEvent) async throws {
        try await output.append(event.encoded)
        try await output.flush()
    }

    /// A comment line, which clients ignore: it keeps a quiet connection open through proxies.
    public mutating func keepAlive() async throws {
        try await output.append(": keep-alive\n\n")
        try await output.flush()
    }
}
