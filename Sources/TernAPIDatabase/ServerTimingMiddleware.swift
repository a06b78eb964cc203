import HTTPTypes
import Hummingbird
import TernDatabase

/// Tells the client where a request's time went, in a `Server-Timing` header that browsers'
/// developer tools show: `db;dur=3.1;desc="4 statements in 3 round trips", total;dur=8.4`
/// (milliseconds, up to the response's head). The database's share comes from `QueryTimings`
/// (`TernDatabase`).
///
/// Timings tell an attacker something too (whether an account exists, say): turn it on where the
/// clients are your own (development, an internal API).
public struct ServerTimingMiddleware<Context: RequestContext>: RouterMiddleware {
    public init() {}

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let timings = QueryTimings()
        let start = ContinuousClock.now
        var response = try await QueryTimings.$current.withValue(timings) { try await next(request, context) }
        let total = ContinuousClock.now - start
        let statements = "\(timings.statements) statements in \(timings.roundTrips) round trips"
        response.headers.append(
            HTTPField(
                name: .serverTiming,
                value: "db;dur=\(Self.milliseconds(timings.duration));desc=\"\(statements)\", total;dur=\(Self.milliseconds(total))"))
        return response
    }

    /// Milliseconds, to the microsecond.
    static func milliseconds(_ duration: Duration) -> String {
        String((duration / .microseconds(1)).rounded() / 1000)
    }
}

extension HTTPField.Name {
    /// `Server-Timing` (W3C Server Timing).
    public static var serverTiming: Self { HTTPField.Name("Server-Timing")! }
}
