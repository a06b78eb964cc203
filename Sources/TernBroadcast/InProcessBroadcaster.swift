/// Messages for this process's listeners only: enough for one `api` process (no `REDIS_URL`).
public final class InProcessBroadcaster: Broadcaster {
    private let listeners = Listeners()

    public init() {}

    public func publish(_ message: String, to topic: String) async throws {
        listeners.deliver(message, to: topic)
    }

    public func messages(of topic: String) -> AsyncStream<String> {
        listeners.stream(of: topic)
    }
}
