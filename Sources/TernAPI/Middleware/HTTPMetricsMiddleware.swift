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
    private let series: Series

    /// - Parameter factory: where the metrics go; the process's bootstrapped backend by default.
    public init(factory: any MetricsFactory = MetricsSystem.factory) {
        self.series = Series(factory: factory)
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        try await observingOutcome(of: request, context: context, next: next) { status, duration in
            let route = context.endpointPath ?? "NotFound"
            series.counter(method: request.method, route: route, status: status).increment()
            series.timer(method: request.method, route: route).recordNanoseconds(
                duration.components.seconds * 1_000_000_000 + duration.components.attoseconds / 1_000_000_000)
        }
    }

    /// The counters and timers made so far, kept so that a request looks its series up instead of
    /// building a metric (and its labels) anew; the series are bounded by the routes, methods and
    /// statuses the API answers with.
    private final class Series: Sendable {
        private struct CounterKey: Hashable {
            let method: HTTPRequest.Method, route: String, status: Int
        }
        private struct TimerKey: Hashable {
            let method: HTTPRequest.Method, route: String
        }
        private let factory: any MetricsFactory
        private let counters = Mutex<[CounterKey: Counter]>([:])
        private let timers = Mutex<[TimerKey: Timer]>([:])

        init(factory: any MetricsFactory) {
            self.factory = factory
        }

        func counter(method: HTTPRequest.Method, route: String, status: HTTPResponse.Status) -> Counter {
            let key = CounterKey(method: method, route: route, status: status.code)
            return counters.withLock { counters in
                if let counter = counters[key] { return counter }
                let counter = Counter(
                    label: "http_requests_total",
                    dimensions: [("method", method.rawValue), ("route", route), ("status", String(status.code))], factory: factory)
                counters[key] = counter
                return counter
            }
        }

        func timer(method: HTTPRequest.Method, route: String) -> Timer {
            let key = TimerKey(method: method, route: route)
            return timers.withLock { timers in
                if let timer = timers[key] { return timer }
                let timer = Timer(
                    label: "http_request_duration_seconds", dimensions: [("method", method.rawValue), ("route", route)],
                    factory: factory)
                timers[key] = timer
                return timer
            }
        }
    }
}
