import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import TernAPI

/// A router-level check: the request must carry `x-key: secret`.
struct RequiresKey: Dependency {
    static func resolve(_: NoInput, in scope: RequestScope) async throws -> RequiresKey {
        guard scope.request.header("x-key") == "secret" else { throw APIError(.forbidden, "No key") }
        return RequiresKey()
    }
}

@APIRouter(prefix: "/guarded", tags: ["guarded"], dependencies: [RequiresKey.self])
struct GuardedRouter {
    @GET("/plain")
    func plain() -> Bool { true }

    @GET("/items/{id}")
    func readItem(_ input: ReadItemInput) -> UUID { input.id }
}

@Suite("Router groups", .timeLimit(.minutes(5)))
struct RouterGroupTests {
    private func api() -> TypedAPI<Void> {
        var api = TypedAPI(title: "Groups", version: "1")
        api.include(GuardedRouter(), prefix: "/v2", tags: ["extra"])
        return api
    }

    @Test("a group's dependencies run for every operation, with or without inputs")
    func dependenciesRun() async throws {
        let router = Router()
        try api().install(on: router)
        try await Application(router: router).test(.router) { client in
            let id = "6f1c2a52-0d7e-4b8e-9f1a-3c9a2d4b5e60"
            for path in ["/v2/guarded/plain", "/v2/guarded/items/\(id)"] {
                try await client.execute(uri: path, method: .get) { response in
                    #expect(response.status == .forbidden, "\(path)")
                    let body = try JSONParser.parse(Array(response.body.readableBytesView))
                    #expect(body == ["detail": "No key"])
                }
                try await client.execute(uri: path, method: .get, headers: [HTTPField.Name("x-key")!: "secret"]) { response in
                    #expect(response.status == .ok, "\(path)")
                }
            }
        }
    }

    @Test("a plain Hummingbird router mounted beside the API (FastAPI's app.mount) answers under its prefix, its errors as JSON")
    func mountedRouter() async throws {
        let legacy = RouteCollection(context: BasicRequestContext.self)
        legacy.get("/hello/{name}") { _, context in "hello \(try context.parameters.require("name"))" }
        legacy.get("/gone") { _, _ -> String in throw HTTPError(.gone) }
        let router = Router()
        try api().install(on: router)
        router.addRoutes(legacy, atPath: "/legacy")
        try await Application(router: router).test(.router) { client in
            try await client.execute(uri: "/legacy/hello/ada", method: .get) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body) == "hello ada")
            }
            try await client.execute(uri: "/legacy/gone", method: .get) { response in
                #expect(response.status == .gone)
                let body = try JSONParser.parse(Array(response.body.readableBytesView))
                #expect(body == ["detail": "Gone"])
            }
            try await client.execute(uri: "/v2/guarded/plain", method: .get) { response in
                #expect(response.status == .forbidden, "the API's own routes are untouched")
            }
        }
        #expect(!String(decoding: try api().openAPIJSON(), as: UTF8.self).contains("/legacy"), "not in the API's document")
    }

    @Test("two routers declaring one route refuse to install")
    func duplicateRoute() throws {
        var api = api()
        api.include(GuardedRouter(), prefix: "/v2", tags: ["again"])
        let error = #expect(throws: DuplicateRoute.self) { try api.install(on: Router()) }
        #expect(error?.description == "GET /v2/guarded/plain is declared by two operations")
    }

    @Test("include's prefix and tags come before the router's, as in FastAPI")
    func includeOrder() {
        let operation = api().operations[0]
        #expect(operation.path == "/v2/guarded/plain")
        #expect(operation.tags == ["extra", "guarded"])
        #expect(operation.operationID == "extra-plain")
    }
}
