import HTTPTypes
import Hummingbird
import Synchronization

/// Answers `503 Service Unavailable` with `Retry-After` at once when `maxConcurrentRequests` are
/// already being worked on, so an overloaded server sheds load quickly instead of queueing every
/// request until each one times out.
public struct ConcurrentRequestLimitMiddleware<Context: RequestContext>: RouterMiddleware {
    private let inFlight = InFlightCounter()
    private let maxConcurrentRequests: Int

    public init(maxConcurrentRequests: Int) {
        self.maxConcurrentRequests = maxConcurrentRequests
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard inFlight.enter(limit: maxConcurrentRequests) else { return APIError.retryLater.response }
        defer { inFlight.leave() }
        return try await next(request, context)
    }
}

/// Requests in flight, shared by every copy of the middleware.
private final class InFlightCounter: Sendable {
    private let count = Atomic<Int>(0)

    /// Counts a request in, unless `limit` are in already.
    func enter(limit: Int) -> Bool {
        guard count.wrappingAdd(1, ordering: .relaxed).newValue > limit else { return true }
        count.wrappingSubtract(1, ordering: .relaxed)
        return false
    }

    func leave() {
        count.wrappingSubtract(1, ordering: .relaxed)
    }
}
