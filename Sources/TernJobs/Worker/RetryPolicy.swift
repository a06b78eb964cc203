import TernPrimitives

/// When a failed job runs again: exponential backoff with full jitter, capped, so many jobs failing
/// together (an SMTP server down) do not come back together.
public struct RetryPolicy: Sendable {
    public var base: Duration
    public var maximum: Duration

    public init(base: Duration = .seconds(1), maximum: Duration = .seconds(300)) {
        self.base = base
        self.maximum = maximum
    }

    /// The wait after failed attempt `attempt` (from 1): a random point in
    /// [ceiling/2, ceiling], where ceiling = min(maximum, base × 2^(attempt-1)).
    public func delay(afterAttempt attempt: Int) -> Duration {
        let exponent = min(max(attempt - 1, 0), 30)
        let ceiling = min(maximum, base * (1 << exponent))
        let milliseconds = max(1, ceiling.wholeMilliseconds)
        return .milliseconds(Int64.random(in: (milliseconds / 2)...milliseconds))
    }
}
