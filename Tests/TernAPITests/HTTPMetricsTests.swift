import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Prometheus
import TernAPI
import Testing

/// Requests counted and timed by route template and status, in a registry of the test's own.
@Suite("HTTP metrics")
struct HTTPMetricsTests {
    @Test("requests are counted by method, route template and status, and timed by route; unmatched ones under one name (NotFound)")
    func countsByRoute() async throws {
        let registry = PrometheusCollectorRegistry()
        let router = Router()
        router.add(middleware: HTTPMetricsMiddleware(factory: PrometheusMetricsFactory(registry: registry)))
        router.get("/items/{id}") { _, context in
            guard context.parameters.get("id") != "0" else { throw HTTPError(.notFound) }
            return "item"
        }
        router.get("/refused") { _, _ -> String in throw HTTPError(.forbidden) }
        try await Application(router: router).test(.router) { client in
            for id in 0...3 { _ = try await client.execute(uri: "/items/\(id)", method: .get) { $0 } }
            _ = try await client.execute(uri: "/refused", method: .get) { $0 }
            _ = try await client.execute(uri: "/scanner/\(UInt64.random(in: 0...UInt64.max))", method: .get) { $0 }
        }
        let text = registry.emitToString()
        #expect(text.contains(#"http_requests_total{method="GET",route="/items/{id}",status="200"} 3"#), "\(text)")
        #expect(text.contains(#"http_requests_total{method="GET",route="/items/{id}",status="404"} 1"#), "a route's second status")
        #expect(text.contains(#"http_requests_total{method="GET",route="/refused",status="403"} 1"#))
        #expect(text.contains(#"http_requests_total{method="GET",route="NotFound",status="404"} 1"#))
        #expect(text.contains(#"http_request_duration_seconds_count{method="GET",route="/items/{id}"} 4"#))
        #expect(!text.contains("/items/1") && !text.contains("/scanner"), "paths never become series")
    }
}
