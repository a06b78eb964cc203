import Synchronization

/// A value computed once, by the first task that asks for it; tasks that ask while it is being
/// computed wait for that result (value or error) instead of computing it again.
///
/// A request's dependencies and its body are read this way: however many parts of an operation
/// need them, and even when they ask at the same time (`async let`), the work is done once.
///
/// The value is `any Sendable`, and the caller casts it back: a class generic over its value's type
/// made the runtime look up generic metadata to destroy each one (about half of this class's
/// deinitialization in a profile of the list, for a dependency of every request), and a generic
/// value cast back from `any Sendable` inside it copied a boxed value into a new box.
final class AsyncOnce: Sendable {
    private enum State {
        case idle
        case running(waiters: [UnsafeContinuation<any Sendable, any Error>])
        case done(Result<any Sendable, any Error>)
    }

    /// What a task asking for the value does.
    private enum Role {
        case take(Result<any Sendable, any Error>)
        case wait
        case compute
    }

    private let state = Mutex(State.idle)

    init() {}

    /// Whether some task is computing the value now.
    var isRunning: Bool {
        state.withLock { state in
            if case .running = state { return true }
            return false
        }
    }

    /// The value: computed by `compute` if no task has started it, else that task's result.
    func value(_ compute: () async throws -> any Sendable) async throws -> any Sendable {
        let role: Role = state.withLock { state in
            switch state {
            case .done(let result): return .take(result)
            case .running: return .wait
            case .idle:
                state = .running(waiters: [])
                return .compute
            }
        }
        switch role {
        case .take(let result):
            return try result.get()
        case .wait:
            return try await waitForResult()
        case .compute:
            let result: Result<any Sendable, any Error>
            do {
                result = .success(try await compute())
            } catch {
                result = .failure(error)
            }
            let waiters: [UnsafeContinuation<any Sendable, any Error>] = state.withLock { state in
                defer { state = .done(result) }
                guard case .running(let waiters) = state else { return [] }
                return waiters
            }
            for waiter in waiters { waiter.resume(with: result) }
            return try result.get()
        }
    }

    private func waitForResult() async throws -> any Sendable {
        try await withUnsafeThrowingContinuation { continuation in
            let ready: Result<any Sendable, any Error>? = state.withLock { state in
                switch state {
                case .running(let waiters):
                    state = .running(waiters: waiters + [continuation])
                    return nil
                case .done(let result):
                    return result
                case .idle:
                    preconditionFailure("a value being waited for was never started")
                }
            }
            if let ready { continuation.resume(with: ready) }
        }
    }
}
