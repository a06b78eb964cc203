import CoreMetrics
import HTTPTypes
import Hummingbird

/// Counts and times requests through swift-metrics, for whatever backend the process bootstrapped
/// (Prometheus, in the sample app):
/// - `http_requests_total{method, route, status}`, a counter;
/// - `http_request_duration_seconds{method, route}`, a timer (a histogram in Prometheus), up to the
///   response's head.
///
/// The route is the matched template (`/items/{id}`), never the path itself, so ids and scanners'
/// made-up paths cannot multiply the series; a request no route matched counts under `NotFound`
/// (Hummingbird's name for it).
///
/// Add it before the API's error middleware, so that it counts the status an error was answered with.
public struct HTTPMetricsMiddleware<Context: RequestContext>: RouterMiddleware {
    private let factory: any MetricsFactory

    /// - Parameter factory: where the metrics go; the process's bootstrapped backend by default.
    public init(factory: any MetricsFactory = MetricsSystem.factory) {
        self.factory = factory
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        do {
            let response = try await next(request, context)
            record(request, context: context, status: response.status, since: start)
            return response
        } catch {
            record(request, context: context, status: (error as? any HTTPResponseError)?.status ?? .internalServerError, since: start)
            throw error
        }
    }

    private func record(_ request: Request, context: Context, status: HTTPResponse.Status, since start: ContinuousClock.Instant) {
        let method = ("method", request.method.rawValue)
        let route = ("route", context.endpointPath ?? "NotFound")
        Counter(label: "http_requests_total", dimensions: [method, route, ("status", String(status.code))], factory: factory).increment()
        let elapsed = ContinuousClock.now - start
        Timer(label: "http_request_duration_seconds", dimensions: [method, route], factory: factory)
            .recordNanoseconds(elapsed.components.seconds * 1_000_000_000 + elapsed.components.attoseconds / 1_000_000_000)
    }
}
