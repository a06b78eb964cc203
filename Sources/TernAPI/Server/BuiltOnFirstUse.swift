import Synchronization

/// A value built the first time it is asked for, then kept: for what a process may never serve (the
/// OpenAPI document), so that it costs neither start-up time nor resident memory until it is asked
/// for. Requests that ask while it is being built wait for that one build.
final class BuiltOnFirstUse<Value: Sendable>: Sendable {
    private let build: @Sendable () throws -> Value
    private let built = Mutex<Value?>(nil)

    init(_ build: @escaping @Sendable () throws -> Value) {
        self.build = build
    }

    /// The value, built now if this is the first time (a build that throws is tried again next time).
    func value() throws -> Value {
        try built.withLock { built in
            if let built { return built }
            let value = try build()
            built = value
            return value
        }
    }
}
