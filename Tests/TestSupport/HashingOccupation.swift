import Testing

@testable import TernAuth

/// Holds places of a hasher's hashing threads until released, so that a test decides when hashing
/// goes on (instead of racing a slow hash).
public struct HashingOccupation: Sendable {
    private let tasks: [Task<Void, any Error>]
    private let gate: AsyncStream<Void>.Continuation

    /// Takes `places` places (all of them by default) and returns once they are held.
    public init(_ hasher: PasswordHasher, places: Int? = nil) async throws {
        let (opened, gate) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .unbounded)
        self.gate = gate
        let count = places ?? hasher.limits.maxConcurrentHashes
        let stream = SharedGate(opened)
        tasks = (0..<count).map { _ in Task { try await hasher.queue.run { _ in await stream.wait() } } }
        try await waitUntil { hasher.statistics.running >= count }
    }

    /// Frees the places and waits until they are given back.
    public func release() async throws {
        gate.finish()
        for task in tasks { try await task.value }
    }
}

/// A gate several tasks wait at, opened once for all.
private final class SharedGate: Sendable {
    private let opened: AsyncStream<Void>

    init(_ opened: AsyncStream<Void>) {
        self.opened = opened
    }

    func wait() async {
        for await _ in opened {}
    }
}

/// Waits until `condition` holds; records an issue after a generous while instead of hanging.
public func waitUntil(_ condition: () -> Bool) async throws {
    for _ in 0..<6000 {
        if condition() { return }
        try await Task.sleep(for: .milliseconds(5))
    }
    Issue.record("the condition never held")
}
