import Metrics
import Synchronization
import TernPrimitives

/// The client's metrics (swift-metrics; exported by whatever backend the process bootstraps):
/// `tern_redis_commands_total{command}`, the commands sent by name; `tern_redis_round_trip_duration`,
/// the time of each round trip (one command, or a pipeline); `tern_redis_round_trip_failures_total`,
/// round trips that got no answer (a connection that broke or could not open).
final class RedisMetrics: Sendable {
    private let commands = Mutex<[String: Counter]>([:])
    private let roundTrips = Metrics.Timer(label: "tern_redis_round_trip_duration")
    private let failures = Counter(label: "tern_redis_round_trip_failures_total")

    func sent(_ commands: [[RedisArgument]], in duration: Duration) {
        roundTrips.recordNanoseconds(duration.wholeNanoseconds)
        for command in commands { counter(for: command.commandName).increment() }
    }

    func failed() {
        failures.increment()
    }

    /// One counter per command name, made once: a command costs a dictionary look-up, not a new
    /// series in the registry.
    private func counter(for name: String) -> Counter {
        commands.withLock { counters in
            if let counter = counters[name] { return counter }
            let counter = Counter(label: "tern_redis_commands_total", dimensions: [("command", name)])
            counters[name] = counter
            return counter
        }
    }
}
