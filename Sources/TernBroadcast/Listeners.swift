import Foundation
import Synchronization

/// The listeners of this process, by topic: what each broadcaster hands its messages to.
final class Listeners: Sendable {
    /// How many messages wait for a slow listener before the oldest are dropped.
    static var bufferSize: Int { 100 }

    private let byTopic = Mutex<[String: [UUID: AsyncStream<String>.Continuation]]>([:])

    func stream(of topic: String) -> AsyncStream<String> {
        let (stream, continuation) = AsyncStream<String>.makeStream(bufferingPolicy: .bufferingNewest(Self.bufferSize))
        let id = UUID()
        byTopic.withLock { $0[topic, default: [:]][id] = continuation }
        continuation.onTermination = { [weak self] _ in
            self?.byTopic.withLock { listeners in
                listeners[topic]?[id] = nil
                if listeners[topic]?.isEmpty == true { listeners[topic] = nil }
            }
        }
        return stream
    }

    func deliver(_ message: String, to topic: String) {
        let continuations = byTopic.withLock { $0[topic].map { Array($0.values) } ?? [] }
        for continuation in continuations { continuation.yield(message) }
    }

    /// Whether anyone in this process listens to `topic`.
    func hasListeners(_ topic: String) -> Bool {
        byTopic.withLock { $0[topic] != nil }
    }

    /// Ends every stream (the process is stopping).
    func finishAll() {
        let continuations = byTopic.withLock { listeners in
            defer { listeners = [:] }
            return listeners.values.flatMap(\.values)
        }
        for continuation in continuations { continuation.finish() }
    }
}
