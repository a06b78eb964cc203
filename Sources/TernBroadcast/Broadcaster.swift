/// Delivers short messages to whoever listens to a topic, in every process of the service: a
/// user's open event streams and WebSockets, told that one of their items changed, wherever the
/// change was made.
///
/// Delivery is at most once and best effort: a listener that connects after a message missed it,
/// and one that reads too slowly loses the oldest of what waits for it. Messages say that
/// something changed; the state itself stays in the database.
public protocol Broadcaster: Sendable {
    /// Sends `message` to the topic's listeners in this process and the others.
    func publish(_ message: String, to topic: String) async throws

    /// The messages published to `topic` from now on. Listening ends when the task reading the
    /// stream is cancelled or the stream is dropped.
    func messages(of topic: String) -> AsyncStream<String>
}
