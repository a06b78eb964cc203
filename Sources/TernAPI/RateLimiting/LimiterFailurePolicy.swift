import HTTPTypes
import Logging
import TernPrimitives

/// What happens to a request when its rate limiter cannot answer (Redis down): it goes ahead
/// unlimited (fail open) or gets 503 with `Retry-After` (fail closed). Either way the outage is logged
/// once when it starts and once when it ends, and every failure counted.
public struct LimiterFailurePolicy: Sendable {
    public let failOpen: Bool
    private let outage: OutageLog

    /// - Parameters:
    ///   - failOpen: whether requests go through while the limiter cannot decide (or are refused).
    ///   - name: the limiter, as the outage log names it.
    public init(failOpen: Bool, name: String = "rate limiter") {
        self.failOpen = failOpen
        outage = OutageLog(name: name)
    }

    /// What `decide` answers; `nil` when it failed and the request may go ahead unlimited.
    public func guarding<Decision>(logger: Logger, _ decide: () async throws -> Decision) async throws -> Decision? {
        do {
            let decision = try await decide()
            outage.recovered(logger: logger)
            return decision
        } catch {
            outage.failed(error, logger: logger)
            if failOpen { return nil }
            throw APIError.retryLater
        }
    }
}
