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

/// A password with something besides letters (the fixture app's `field_validator`).
enum StrongPassword: FieldValidator {
    static func validate(_ password: String) throws(ValueError) -> String {
        guard password.contains(where: { !$0.isLetter }) else { throw ValueError("the password needs a digit or a symbol") }
        return password
    }
}

@Schema
struct Signup {
    @Field(minLength: 8, validators: [StrongPassword.self]) var password: String
    var passwordConfirm: String
    var website: HTTPURL?
    @Field(items: FieldOptions(ge: 0, le: 10)) var scores: [Int] = []

    /// The fixture app's `model_validator`.
    func validate() throws(ValueError) {
        guard password == passwordConfirm else { throw ValueError("passwords do not match") }
    }
}

// What the FastAPI app answers, so that successful answers are compared too.

@Schema
struct CreatedItem {
    var ok: Bool
    var item: ItemCreate
}

@Schema
struct CreatedUser {
    var ok: Bool
    var user: UserCreate
}

@Schema
struct CreatedThing {
    var ok: Bool
    var thing: Thing
}

@Schema
struct Page {
    var skip: Int
    var limit: Int
}

@Schema
struct Numbers {
    var a: Int
    var b: Double
    var c: Int
    var d: Int
}

@Schema
struct ItemID {
    var id: UUID
}

@Schema
struct LoginFields {
    var username: String
    var password: String
    var grantType: String?
    var scopes: [String]
    var clientId: String?
    var clientSecret: String?
}

@Schema
struct HeaderValues {
    var token: String
    var xToken: String
    var session: String
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
struct SignupInput {
    @Body var signup: Signup
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
    func createItem(_ input: CreateItemInput) -> CreatedItem { CreatedItem(ok: true, item: input.item) }

    @GET("/items")
    func readItems(_ input: ReadItemsInput) -> Page { Page(skip: input.skip, limit: input.limit) }

    @GET("/numbers")
    func readNumbers(_ input: ReadNumbersInput) -> Numbers { Numbers(a: input.a, b: input.b, c: input.c, d: input.d) }

    @GET("/items/{id}")
    func readItem(_ input: ReadItemInput) -> ItemID { ItemID(id: input.id) }

    @POST("/users")
    func createUser(_ input: CreateUserInput) -> CreatedUser { CreatedUser(ok: true, user: input.user) }

    @POST("/login/access-token")
    func loginAccessToken(_ input: OAuth2PasswordRequestForm) -> LoginFields {
        LoginFields(
            username: input.username, password: input.password, grantType: input.grantType, scopes: input.scopes,
            clientId: input.clientId, clientSecret: input.clientSecret)
    }

    @POST("/signup")
    func signup(_ input: SignupInput) -> Signup { input.signup }

    @POST("/things")
    func createThing(_ input: CreateThingInput) -> CreatedThing { CreatedThing(ok: true, thing: input.thing) }

    @GET("/headers")
    func readHeaders(_ input: ReadHeadersInput) -> HeaderValues {
        HeaderValues(token: input.token.token, xToken: input.xToken, session: input.session)
    }

    @GET("/boom")
    func boom() throws -> Bool { throw CocoaError(.featureUnsupported) }
}

/// The fixture app's API.
func fixtureAPI() -> TypedAPI<Void> {
    var api = TypedAPI(title: "Fixtures", version: "1")
    api.securitySchemes[OAuth2PasswordBearer.schemeName] = .oauth2Password(tokenURL: "/api/v1/login/access-token")
    api.include(FixtureRouter())
    return api
}

/// The fixture app's API, installed on a Hummingbird router.
func fixtureApplication() throws -> some ApplicationProtocol {
    let router = Router()
    try fixtureAPI().install(on: router)
    return Application(router: router)
}
