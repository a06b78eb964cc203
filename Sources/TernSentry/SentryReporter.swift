import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import ServiceLifecycle
import TernAPI

/// Reports the errors that answered 500 to Sentry (or a Sentry-compatible tracker) as events,
/// through its envelope endpoint. A failing request hands its report on and answers at once; this
/// service sends the reports one by one. When they come faster than they go, the oldest waiting
/// are dropped: a flood of one failure says nothing the first reports did not.
///
/// Run it as a service of the process, started before the HTTP server and stopped after it.
public final class SentryReporter: ErrorReporter, Service {
    /// How many reports may wait to be sent.
    public static var queueLength: Int { 100 }

    private let dsn: SentryDSN
    private let environment: String
    private let release: String?
    private let httpClient: HTTPClient
    private let logger: Logger
    private let reports: AsyncStream<UnhandledError>
    private let queue: AsyncStream<UnhandledError>.Continuation

    public init(dsn: SentryDSN, environment: String, release: String? = nil, httpClient: HTTPClient = .shared, logger: Logger) {
        self.dsn = dsn
        self.environment = environment
        self.release = release
        self.httpClient = httpClient
        self.logger = logger
        (reports, queue) = AsyncStream.makeStream(of: UnhandledError.self, bufferingPolicy: .bufferingNewest(Self.queueLength))
    }

    public func report(_ failure: UnhandledError) {
        queue.yield(failure)
    }

    /// Sends the reports as they come, until the service group stops; those waiting then are sent
    /// first.
    public func run() async throws {
        await withGracefulShutdownHandler {
            for await failure in reports { await send(failure) }
        } onGracefulShutdown: {
            self.queue.finish()
        }
    }

    private func send(_ failure: UnhandledError) async {
        var request = HTTPClientRequest(url: dsn.envelopeURL)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/x-sentry-envelope")
        request.headers.add(name: "X-Sentry-Auth", value: "Sentry sentry_version=7, sentry_client=tern/1.0, sentry_key=\(dsn.publicKey)")
        request.body = .bytes(ByteBuffer(bytes: envelope(for: failure)))
        do {
            let response = try await httpClient.execute(request, timeout: .seconds(10))
            _ = try await response.body.collect(upTo: 1 << 16)
            if response.status.code >= 300 {
                logger.warning("the error tracker refused a report", metadata: ["status": "\(response.status.code)", "tracker": "\(dsn)"])
            }
        } catch {
            logger.warning("an error report could not be sent", metadata: ["error": "\(error)", "tracker": "\(dsn)"])
        }
    }

    /// The envelope of one event: its header, the item's header, the event (one JSON per line).
    func envelope(for failure: UnhandledError) -> [UInt8] {
        let id = UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        let event = Array(self.event(failure, id: id).jsonText.utf8)
        let header: JSONValue = ["event_id": .string(id), "dsn": .string(dsn.text), "sent_at": .string(Date().apiText)]
        let item: JSONValue = ["type": "event", "length": .integer(Int64(event.count))]
        return Array((header.jsonText + "\n" + item.jsonText + "\n").utf8) + event + Array("\n".utf8)
    }

    private func event(_ failure: UnhandledError, id: String) -> JSONValue {
        var event: JSONObject = [
            "event_id": .string(id),
            "timestamp": .double(failure.date.timeIntervalSince1970),
            "platform": "other",
            "level": "error",
            "logger": "tern",
            "environment": .string(environment),
            "transaction": .string("\(failure.method) \(failure.route ?? failure.path)"),
            "exception": [
                "values": [
                    ["type": .string(String(reflecting: type(of: failure.error))), "value": .string(String(reflecting: failure.error))]
                ]
            ],
            "request": ["method": .string(failure.method), "url": .string(failure.path)],
            "tags": ["request_id": failure.requestID.map(JSONValue.string) ?? .null],
        ]
        if let release { event["release"] = .string(release) }
        return .object(event)
    }
}
