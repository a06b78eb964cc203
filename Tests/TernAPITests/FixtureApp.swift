import Foundation
import Hummingbird
import TernAPI

// The endpoints of Fixtures/fastapi_app.py, declared with TernAPI, so that the same requests can be
// replayed against both and the answers compared (see ValidationConformanceTests).

@Schema
struct ItemCreate {
    @Field(minLength: 1, maxLength: 255) var title: String
    @Field(maxLength: 255) var description: String?
}

@Schema
struct UserCreate {
    @Field(maxLength: 255, format: .email) var email: String
    @Field(minLength: 8, maxLength: 128) var password: String
    var isActive: Bool = true
    var isSuperuser: Bool = false
    @Field(maxLength: 255) var fullName: String?
}

enum Color: String, APIEnum {
    case red, green, blue
}

@Schema
struct Thing {
    var color: Color
    @Field(maxItems: 3) var tags: [String] = []
    @Field(pattern: "^[A-Z]{3}$") var code: String
    var count: Int
    var ratio: Double
    var flag: Bool
    var ref: UUID
    var when: Date
}

@Schema
struct Echo {
    var ok: Bool
}

@Input
struct CreateItemInput {
    @Body var item: ItemCreate
}

@Input
struct CreateUserInput {
    @Body var user: UserCreate
}

@Input
struct CreateThingInput {
    @Body var thing: Thing
}

@Input
struct ReadItemsInput {
    @Query var skip: Int = 0
    @Query(le: 1000) var limit: Int = 100
}

@Input
struct ReadNumbersInput {
    @Query(gt: 0) var a: Int = 1
    @Query(ge: 1) var b: Double = 1
    @Query(lt: 5) var c: Int = 0
    @Query(le: 5) var d: Int = 0
}

@Input
struct ReadItemInput {
    @Path var id: UUID
}

@Input
struct ReadHeadersInput {
    @Depends var token: OAuth2PasswordBearer
    @Header var xToken: String
    @Cookie var session: String
}

@APIRouter
struct FixtureRouter {
    @POST("/items")
    func createItem(_ input: CreateItemInput) -> Echo { Echo(ok: true) }

    @GET("/items")
    func readItems(_ input: ReadItemsInput) -> [Int] { [input.skip, input.limit] }

    @GET("/numbers")
    func readNumbers(_ input: ReadNumbersInput) -> Double { input.b }

    @GET("/items/{id}")
    func readItem(_ input: ReadItemInput) -> UUID { input.id }

    @POST("/users")
    func createUser(_ input: CreateUserInput) -> Echo { Echo(ok: true) }

    @POST("/login/access-token")
    func loginAccessToken(_ input: OAuth2PasswordRequestForm) -> [String] { [input.username] + input.scopes }

    @POST("/things")
    func createThing(_ input: CreateThingInput) -> Echo { Echo(ok: true) }

    @GET("/headers")
    func readHeaders(_ input: ReadHeadersInput) -> [String] { [input.token.token, input.xToken, input.session] }

    @GET("/boom")
    func boom() throws -> Bool { throw CocoaError(.featureUnsupported) }
}

/// The fixture app's API, installed on a Hummingbird router.
func fixtureApplication() throws -> some ApplicationProtocol {
    var api = API(title: "Fixtures", version: "1")
    api.securitySchemes[OAuth2PasswordBearer.schemeName] = .oauth2Password(tokenURL: "/api/v1/login/access-token")
    api.include(FixtureRouter())
    let router = Router()
    try api.install(on: router)
    return Application(router: router)
}
