import CoreMetrics
import HTTPTypes
import Hummingbird
import Synchronization

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
    private let series: HTTPMetricSeries

    /// - Parameter factory: where the metrics go; the process's bootstrapped backend by default.
    public init(factory: any MetricsFactory = MetricsSystem.factory) {
        self.series = HTTPMetricSeries(factory: factory)
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        try await observingOutcome(of: request, context: context, next: next) { status, duration in
            let metrics = series.metrics(method: request.method, route: context.endpointPath ?? "NotFound", status: status)
            metrics.counter.increment()
            metrics.timer.recordNanoseconds(
                duration.components.seconds * 1_000_000_000 + duration.components.attoseconds / 1_000_000_000)
        }
    }
}

/// The counters and timers made so far, kept so that a request looks its series up (one lock,
/// one look-up by method and route) instead of building a metric (and its labels) anew; the
/// series are bounded by the routes, methods and statuses the API answers with.
///
/// Outside the middleware, which is generic over its context: nested there, it and its dictionary
/// would be generic too, and their metadata looked up at run time on every request.
private final class HTTPMetricSeries: Sendable {
    private struct Key: Hashable {
        let method: HTTPRequest.Method, route: String
    }
    /// One route's timer, and a counter per status it has answered with (a handful).
    private struct RouteSeries {
        let timer: Timer
        var counters: [(status: Int, counter: Counter)] = []
    }
    private let factory: any MetricsFactory
    private let routes = Mutex<[Key: RouteSeries]>([:])

    init(factory: any MetricsFactory) {
        self.factory = factory
    }

    func metrics(method: HTTPRequest.Method, route: String, status: HTTPResponse.Status) -> (counter: Counter, timer: Timer) {
        let key = Key(method: method, route: route)
        return routes.withLock { routes in
            if let series = routes[key], let known = series.counters.first(where: { $0.status == status.code }) {
                return (known.counter, series.timer)
            }
            return makeMetrics(for: key, status: status.code, in: &routes)
        }
    }

    /// A route's first request, or its first with this status.
    private func makeMetrics(for key: Key, status: Int, in routes: inout [Key: RouteSeries]) -> (counter: Counter, timer: Timer) {
        let dimensions = [("method", key.method.rawValue), ("route", key.route)]
        var series =
            routes[key] ?? RouteSeries(timer: Timer(label: "http_request_duration_seconds", dimensions: dimensions, factory: factory))
        let counter = Counter(label: "http_requests_total", dimensions: dimensions + [("status", String(status))], factory: factory)
        series.counters.append((status, counter))
        routes[key] = series
        return (counter, series.timer)
    }
}
