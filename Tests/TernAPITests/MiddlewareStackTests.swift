import HTTPTypes
import Hummingbird
import HummingbirdTesting
import TernAPI
import Testing

/// A stack of middleware behind one closure runs its layers as the router would run them one by one.
@Suite("Middleware stack")
struct MiddlewareStackTests {
    /// Adds its name to the response's `Layers` header on the way out.
    struct Layer<Context: RequestContext>: RouterMiddleware {
        let name: String

        func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
            var response = try await next(request, context)
            let layers = response.headers[.layers].map { "\($0),\(name)" } ?? name
            response.headers[.layers] = layers
            return response
        }
    }

    @Test("layers run in the order written, outermost first; a layer under a false `if` is left out; errors pass through")
    func layersInOrder() async throws {
        let includeSkipped = false
        let router = Router()
        router.add(
            middleware: MiddlewareStack {
                Layer(name: "outer")
                if includeSkipped { Layer(name: "skipped") }
                Layer(name: "inner")
            })
        router.get("/hello") { _, _ in "hello" }
        router.get("/refused") { _, _ -> String in throw HTTPError(.forbidden) }
        try await Application(router: router).test(.router) { client in
            try await client.execute(uri: "/hello", method: .get) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body) == "hello")
                // The innermost layer sees the response first.
                #expect(response.headers[.layers] == "inner,outer")
            }
            try await client.execute(uri: "/refused", method: .get) { response in
                #expect(response.status == .forbidden)
            }
        }
    }
}

extension HTTPField.Name {
    fileprivate static let layers = Self("Layers")!
}
