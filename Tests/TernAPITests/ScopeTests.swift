import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import TernAPI

extension Scope {
    fileprivate static let notesRead = Scope("notes:read", description: "Read notes")
    fileprivate static let notesWrite = Scope("notes:write", description: "Write notes")
    fileprivate static let notesAdmin = Scope("notes:admin", description: "Administer notes")
}

/// A bearer token that is a space-separated list of the scopes it grants; `admin` in it makes the
/// caller an administrator.
private struct Caller: Dependency {
    let scopes: Set<String>

    @Input
    struct Needs {
        @Depends var bearer: OAuth2PasswordBearer
    }

    static func resolve(_ needs: Needs, in scope: RequestScope) async throws -> Caller {
        let scopes = Set(needs.bearer.token.split(separator: " ").map(String.init))
        scope.grant(scopes, challenge: "Bearer")
        return Caller(scopes: scopes)
    }
}

/// The caller must be an administrator, with an answer of its own.
private struct Administrator: Dependency {
    @Input
    struct Needs {
        @Depends var caller: Caller
    }

    static let errors: [any APIErrorConvertible] = [APIError(.forbidden, "Administrators only")]

    static func resolve(_ needs: Needs, in scope: RequestScope) async throws -> Administrator {
        guard needs.caller.scopes.contains("admin") else { throw APIError(.forbidden, "Administrators only") }
        return Administrator()
    }
}

@Input
private struct CallerInput {
    @Depends var caller: Caller
}

@Input
private struct AdministratorInput {
    @Depends var administrator: Administrator
}

@APIRouter(prefix: "/notes", scopes: [.notesRead])
private struct NotesRouter {
    @GET("/")
    func list(_ input: CallerInput) -> Int { 1 }

    @POST("/", scopes: [.notesWrite])
    func create(_ input: CallerInput) -> Int { 2 }

    @DELETE("/", scopes: [.notesAdmin])
    func purge(_ input: AdministratorInput) -> Int { 3 }
}

@APIRouter
private struct UncheckedRouter {
    @GET("/open", scopes: [.notesRead])
    func open() -> Int { 0 }
}

@Suite("Scopes", .timeLimit(.minutes(5)))
struct ScopeTests {
    private func api() -> TypedAPI<Void> {
        var api = TypedAPI(title: "Scopes", version: "1")
        api.securitySchemes[OAuth2PasswordBearer.schemeName] = .oauth2Password(tokenURL: "/token", scopes: [.notesRead])
        api.include(NotesRouter())
        return api
    }

    private func call(_ method: HTTPRequest.Method, token: String?) async throws -> (status: Int, detail: String, challenge: String?) {
        let router = Router()
        try api().install(on: router)
        return try await Application(router: router).test(.router) { client in
            var headers = HTTPFields()
            if let token { headers[.authorization] = "Bearer \(token)" }
            return try await client.execute(uri: "/notes/", method: method, headers: headers) { response in
                let detail = (try? JSONParser.parse(String(buffer: response.body)))?["detail"]?.stringValue ?? ""
                return (Int(response.status.code), detail, response.headers[.wwwAuthenticate])
            }
        }
    }

    @Test("the router's scopes and the operation's are both required; a refusal names them all")
    func required() async throws {
        #expect(try await call(.get, token: "notes:read").status == 200)
        #expect(try await call(.post, token: "notes:read notes:write").status == 200)
        let refused = try await call(.post, token: "notes:read")
        #expect(refused.status == 403)
        #expect(refused.detail == "Not enough permissions")
        #expect(refused.challenge == #"Bearer error="insufficient_scope", scope="notes:read notes:write""#)
        #expect(try await call(.post, token: "notes:write").status == 403)
    }

    @Test("authentication answers before scopes, and so do the dependencies' own refusals")
    func order() async throws {
        #expect(try await call(.get, token: nil).status == 401)
        let notAdmin = try await call(.delete, token: "notes:read notes:admin")
        #expect(notAdmin.status == 403)
        #expect(notAdmin.detail == "Administrators only")
        let adminWithoutScope = try await call(.delete, token: "admin notes:read")
        #expect(adminWithoutScope.detail == "Not enough permissions")
        #expect(try await call(.delete, token: "admin notes:read notes:admin").status == 200)
    }

    @Test("the document lists each operation's scopes, its 403, and every scope under the OAuth2 flow")
    func documented() throws {
        let document = try JSONParser.parse(api().openAPIJSON())
        let create = try #require(document["paths"]?["/notes/"]?["post"])
        #expect(create["security"] == [["OAuth2PasswordBearer": ["notes:read", "notes:write"]]])
        #expect(create["responses"]?["403"]?["description"] == "Not enough permissions")
        #expect(create["responses"]?["403"]?["headers"]?["WWW-Authenticate"] != nil)
        let flow = document["components"]?["securitySchemes"]?["OAuth2PasswordBearer"]?["flows"]?["password"]
        #expect(
            flow?["scopes"] == [
                "notes:admin": "Administer notes", "notes:read": "Read notes", "notes:write": "Write notes",
            ])
    }

    @Test("an operation that requires scopes with nothing to authenticate its requests stops the install")
    func unchecked() throws {
        var api = TypedAPI(title: "Scopes", version: "1")
        api.include(UncheckedRouter())
        #expect(throws: UncheckedScopes.self) { try api.install(on: Router()) }
    }
}
