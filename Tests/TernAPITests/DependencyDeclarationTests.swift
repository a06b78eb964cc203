import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

@testable import TernAPI

/// Reads the raw body itself, without declaring one: it must see the body all the same.
private struct RawBodyLength: Dependency {
    let count: Int

    static func resolve(_: NoInput, in scope: RequestScope) async throws -> RawBodyLength {
        RawBodyLength(count: try await scope.request.body().readableBytes)
    }
}

/// What a `GET` of a signed resource needs: a signature header, a query flag and the bearer token.
private struct SignedAccess: Dependency {
    @Input
    struct Needs {
        @Header var xSignature: String
        @Query var verbose: Bool = false
        @Depends var bearer: OAuth2PasswordBearer
    }

    static let errors: [any APIErrorConvertible] = [SignatureError.mismatch]

    static func resolve(_ needs: Needs, in scope: RequestScope) async throws -> SignedAccess {
        guard needs.xSignature == "ok:" + needs.bearer.token else { throw SignatureError.mismatch }
        return SignedAccess()
    }
}

private enum SignatureError: APIErrorConvertible, CaseIterable {
    case mismatch

    var apiError: APIError { APIError(.forbidden, "Signature mismatch") }
}

private enum ThingError: APIErrorConvertible, CaseIterable {
    case missing
    case locked

    var apiError: APIError {
        switch self {
        case .missing: APIError(.notFound, "Thing not found")
        case .locked: APIError(HTTPResponse.Status(code: 423), "Thing is locked", headers: [.retryAfter: "5"])
        }
    }
}

/// The API's context in these tests.
private struct Counter: Sendable {
    let start: Int
}

/// A dependency read from a context of type `Counter`.
private struct StartValue: ContextDependency {
    let value: Int

    static func resolve(from context: Counter, in scope: RequestScope) async throws -> StartValue {
        StartValue(value: context.start)
    }

    static func documentedParameters(from context: Counter) -> [ParameterDescription] {
        [DeclaredParameter<Int>.query("step", options: FieldOptions(le: Double(context.start)), default: 1).description]
    }
}

@Input
private struct RawBodyInput {
    @Depends var length: RawBodyLength
    @Depends var again: RawBodyLength
}

@Input
private struct SignedInput {
    @Path var id: Int
    @Depends var access: SignedAccess
}

@Input
private struct StartInput {
    @Depends var start: StartValue
}

@APIRouter(prefix: "/declared")
private struct DeclaredRouter {
    @POST("/raw")
    func raw(_ input: RawBodyInput) -> Int { input.length.count }

    @GET("/things/{id}", errors: ThingError.allCases)
    func thing(_ input: SignedInput) throws -> Int {
        guard input.id > 0 else { throw ThingError.missing }
        guard input.id != 423 else { throw ThingError.locked }
        return input.id
    }

    @GET("/start")
    func start(_ input: StartInput) -> Int { input.start.value }
}

@Suite("Dependencies declared once", .timeLimit(.minutes(5)))
struct DependencyDeclarationTests {
    private func api(maxBodySize: Int = 64) -> TypedAPI<Counter> {
        var api = TypedAPI(title: "Declared", version: "1", context: Counter(start: 7))
        api.securitySchemes[OAuth2PasswordBearer.schemeName] = .oauth2Password(tokenURL: "/token")
        api.maxBodySize = maxBodySize
        api.include(DeclaredRouter())
        return api
    }

    private func run(_ api: TypedAPI<Counter>, _ body: @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        let router = Router()
        try api.install(on: router)
        try await Application(router: router).test(.live, body)
    }

    @Test("a dependency that reads the body without declaring it sees the whole body, read once for all")
    func undeclaredBodyRead() async throws {
        try await run(api()) { client in
            try await client.execute(uri: "/declared/raw", method: .post, body: ByteBuffer(string: "twelve bytes")) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body) == "12")
            }
        }
    }

    @Test("a body past the limit is a 413 when a dependency reads it")
    func undeclaredBodyTooLarge() async throws {
        try await run(api(maxBodySize: 8)) { client in
            try await client.execute(uri: "/declared/raw", method: .post, body: ByteBuffer(string: "twelve bytes")) { response in
                #expect(response.status == .contentTooLarge)
            }
        }
    }

    @Test("a dependency's needs are resolved first and answer as declared: 401, 422, its own 403, then the route's errors")
    func needsResolved() async throws {
        try await run(api()) { client in
            try await client.execute(uri: "/declared/things/1", method: .get) { response in
                #expect(response.status == .unauthorized)
            }
            let bearer: HTTPFields = [.authorization: "Bearer abc"]
            try await client.execute(uri: "/declared/things/1", method: .get, headers: bearer) { response in
                #expect(response.status == .unprocessableContent)
                #expect(String(buffer: response.body).contains(#""loc":["header","x-signature"]"#))
            }
            var signed = bearer
            signed[HTTPField.Name("x-signature")!] = "wrong"
            try await client.execute(uri: "/declared/things/1", method: .get, headers: signed) { response in
                #expect(response.status == .forbidden)
                #expect(String(buffer: response.body) == #"{"detail":"Signature mismatch"}"#)
            }
            signed[HTTPField.Name("x-signature")!] = "ok:abc"
            try await client.execute(uri: "/declared/things/0", method: .get, headers: signed) { response in
                #expect(response.status == .notFound)
                #expect(String(buffer: response.body) == #"{"detail":"Thing not found"}"#)
            }
            try await client.execute(uri: "/declared/things/423", method: .get, headers: signed) { response in
                #expect(response.status.code == 423)
                #expect(response.headers[.retryAfter] == "5")
            }
            try await client.execute(uri: "/declared/things/5", method: .get, headers: signed) { response in
                #expect(String(buffer: response.body) == "5")
            }
        }
    }

    @Test("the docs show a dependency's needs and errors, and a route's errors, from their declarations alone")
    func documentedFromDeclarations() throws {
        let document = try JSONParser.parse(api().openAPIJSON())
        let thing = document["paths"]?["/declared/things/{id}"]?["get"]
        let parameters = thing?["parameters"]?.arrayValue?.compactMap { $0["name"]?.stringValue }
        #expect(parameters == ["id", "x-signature", "verbose"])
        #expect(thing?["security"] == [["OAuth2PasswordBearer": []]])
        let responses = thing?["responses"]?.objectValue
        #expect(responses?.keys == ["200", "401", "403", "404", "422", "423"])
        #expect(responses?["401"]?["description"] == "Not authenticated")
        #expect(responses?["403"]?["description"] == "Signature mismatch")
        #expect(responses?["404"]?["description"] == "Thing not found")
        #expect(responses?["423"]?["description"] == "Thing is locked")
        #expect(responses?["423"]?["headers"]?["Retry-After"] != nil)
    }

    @Test("a context dependency reads the API's context, and documents parameters from it")
    func contextDependency() async throws {
        try await run(api()) { client in
            try await client.execute(uri: "/declared/start", method: .get) { response in
                #expect(String(buffer: response.body) == "7")
            }
        }
        let document = try JSONParser.parse(api().openAPIJSON())
        let step = document["paths"]?["/declared/start"]?["get"]?["parameters"]?[0]
        #expect(step?["name"] == "step")
        #expect(step?["schema"]?["maximum"] == 7)
    }

    @Test("an API whose context cannot serve a context dependency refuses to install")
    func contextMismatch() throws {
        var api = TypedAPI(title: "Mismatch", version: "1")
        api.include(DeclaredRouter())
        let error = #expect(throws: ContextMismatch.self) { try api.install(on: Router()) }
        #expect(error?.description == "the dependency StartValue reads a context of type Counter, but the API's context is a ()")
    }
}
