import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import TernPrimitives
import Testing

@testable import TernAPI

/// A shopping cart kept in a signed cookie.
private struct Cart: CookieSessionContents {
    static let cookieName = "cart"
    var items: [String] = []
}

/// The API's context: only the cookie sessions' settings.
private struct Shop: CookieSessionContext {
    var cookieSessions: CookieSessionSettings
}

@Input
private struct CartInput {
    @Depends var cart: CookieSession<Cart>
}

@Input
private struct AddToCartInput {
    @Depends var cart: CookieSession<Cart>
    @Path var item: String
}

private struct OutOfStock: APIErrorConvertible {
    var apiError: APIError { APIError(.conflict, "Out of stock") }
}

@APIRouter(prefix: "/cart")
private struct CartRouter {
    @GET("/")
    func read(_ input: CartInput) -> [String] { input.cart.contents?.items ?? [] }

    @POST("/{item}")
    func add(_ input: AddToCartInput) throws -> [String] {
        var cart = input.cart.contents ?? Cart()
        cart.items.append(input.item)
        try input.cart.set(cart)
        return cart.items
    }

    /// Changes the session, then fails: the change must not reach the client.
    @POST("/{item}/out-of-stock", errors: [OutOfStock()])
    func addOutOfStock(_ input: AddToCartInput) throws -> [String] {
        try input.cart.set(Cart(items: [input.item]))
        throw OutOfStock()
    }

    @DELETE("/")
    func clear(_ input: CartInput) -> Bool {
        input.cart.clear()
        return true
    }
}

@Suite("Cookie sessions", .timeLimit(.minutes(5)))
struct CookieSessionTests {
    private static let current = "the-current-secret-of-a-decent-length"
    private static let previous = "the-previous-secret-of-a-decent-length"
    private static let maxAge = Duration.seconds(3600)

    private static func settings() -> CookieSessionSettings {
        CookieSessionSettings(signer: SignedCookies(secrets: [current, previous], purpose: "session"), maxAge: maxAge, secure: true)
    }

    private static func api() -> TypedAPI<Shop> {
        var api = TypedAPI(title: "Shop", version: "1", context: Shop(cookieSessions: settings()))
        api.include(CartRouter())
        return api
    }

    /// What one request answered: its status, body and the `Set-Cookie` it sent, if any.
    private struct Answer {
        var status: HTTPResponse.Status
        var body: String
        var setCookie: String?

        /// The cookie's value, as the browser would send it back.
        var cookieValue: String? {
            setCookie?.split(separator: ";").first.map { String($0.dropFirst("cart=".count)) }
        }
    }

    private func withShop(
        _ body: @Sendable (_ send: @Sendable (HTTPRequest.Method, String, String?) async throws -> Answer) async throws -> Void
    )
        async throws
    {
        let router = Router()
        try Self.api().install(on: router)
        try await Application(router: router).test(.router) { client in
            try await body { method, path, cookie in
                let headers: HTTPFields = cookie.map { [.cookie: "cart=\($0)"] } ?? [:]
                return try await client.execute(uri: path, method: method, headers: headers) { response in
                    Answer(status: response.status, body: String(buffer: response.body), setCookie: response.headers[.setCookie])
                }
            }
        }
    }

    @Test("a session set by one answer comes back with the next request, until it is cleared")
    func roundTrip() async throws {
        try await withShop { send in
            let first = try await send(.post, "/cart/apple", nil)
            #expect(first.body == #"["apple"]"#)
            let setCookie = try #require(first.setCookie)
            for attribute in ["Max-Age=3600", "Path=/", "Secure", "HttpOnly", "SameSite=Lax"] {
                #expect(setCookie.contains(attribute), "\(attribute) in \(setCookie)")
            }
            let second = try await send(.post, "/cart/pear", first.cookieValue)
            #expect(second.body == #"["apple","pear"]"#)
            let read = try await send(.get, "/cart", second.cookieValue)
            #expect(read.body == #"["apple","pear"]"#)
            #expect(read.setCookie == nil, "an unchanged, fresh session is not sent again")
            let cleared = try await send(.delete, "/cart", second.cookieValue)
            #expect(cleared.setCookie?.hasPrefix("cart=;") == true)
            #expect(cleared.setCookie?.contains("Max-Age=0") == true)
            #expect(try await send(.delete, "/cart", nil).setCookie == nil, "no cookie sent, none to clear")
        }
    }

    @Test("an altered, moved, expired or foreign cookie reads as no session, and is cleared")
    func refusedCookies() async throws {
        let signer = Self.settings().signer
        let payload = Array(#"{"items":["gold"]}"#.utf8)
        let genuine = signer.sign(payload, cookieName: "cart")
        let parts = genuine.split(separator: ".")
        let altered = Data(#"{"items":["diamonds"]}"#.utf8).base64URLEncoded + "." + parts[1] + "." + parts[2]
        let refused = [
            "altered": altered,
            "signed for another cookie": signer.sign(payload, cookieName: "wishlist"),
            "expired": signer.sign(payload, cookieName: "cart", at: Date().addingTimeInterval(-3601)),
            "dated in the future": signer.sign(payload, cookieName: "cart", at: Date().addingTimeInterval(600)),
            "signed with an unknown secret": SignedCookies(secrets: ["another-secret-entirely"], purpose: "session").sign(
                payload, cookieName: "cart"),
            "signed for another purpose": SignedCookies(secrets: [Self.current], purpose: "csrf").sign(payload, cookieName: "cart"),
            "not a signed value": "gold",
            "a signed value of another shape": signer.sign(Array(#"{"items":7}"#.utf8), cookieName: "cart"),
        ]
        try await withShop { send in
            #expect(try await send(.get, "/cart", genuine).body == #"["gold"]"#, "the genuine cookie reads")
            for (what, cookie) in refused {
                let answer = try await send(.get, "/cart", cookie)
                #expect(answer.body == "[]", "\(what)")
                #expect(answer.setCookie?.contains("Max-Age=0") == true, "\(what)")
            }
        }
    }

    @Test("a session signed with a previous secret reads, and comes back signed with the newest")
    func rotation() async throws {
        let old = SignedCookies(secrets: [Self.previous], purpose: "session").sign(Array(#"{"items":["tea"]}"#.utf8), cookieName: "cart")
        try await withShop { send in
            let answer = try await send(.get, "/cart", old)
            #expect(answer.body == #"["tea"]"#)
            let renewed = try #require(answer.cookieValue)
            let verified = try #require(Self.settings().signer.verify(renewed, cookieName: "cart", maxAge: Self.maxAge))
            #expect(verified.isSignedWithNewestKey)
            #expect(verified.payload == Array(#"{"items":["tea"]}"#.utf8))
        }
    }

    @Test("a session in use past half its age is renewed; a younger one is not")
    func slidingRenewal() async throws {
        let signer = Self.settings().signer
        let payload = Array(#"{"items":["tea"]}"#.utf8)
        try await withShop { send in
            let young = try await send(.get, "/cart", signer.sign(payload, cookieName: "cart", at: Date().addingTimeInterval(-1000)))
            #expect(young.setCookie == nil)
            let old = try await send(.get, "/cart", signer.sign(payload, cookieName: "cart", at: Date().addingTimeInterval(-2000)))
            let renewed = try #require(old.cookieValue)
            let issuedAt = try #require(signer.verify(renewed, cookieName: "cart", maxAge: Self.maxAge)).issuedAt
            #expect(abs(issuedAt.timeIntervalSinceNow) < 60)
        }
    }

    @Test("a failed operation leaves the session as it was")
    func failedOperation() async throws {
        try await withShop { send in
            let cart = try await send(.post, "/cart/apple", nil)
            let failed = try await send(.post, "/cart/plum/out-of-stock", cart.cookieValue)
            #expect(failed.status == .conflict)
            #expect(failed.setCookie == nil)
        }
    }

    @Test("a session too large for a browser's cookie is refused when set")
    func tooLarge() throws {
        let session = CookieSession<Cart>(cookie: nil, settings: Self.settings())
        #expect(throws: CookieSessionTooLarge.self) { try session.set(Cart(items: Array(repeating: "an item name", count: 300))) }
        #expect(throws: Never.self) { try session.set(Cart(items: Array(repeating: "an item name", count: 100))) }
    }

    @Test("the docs show the session's cookie as an optional cookie parameter")
    func documented() throws {
        let document = try JSONParser.parse(Array(try Self.api().openAPIJSON()))
        let parameters = document["paths"]?["/cart/"]?["get"]?["parameters"]
        #expect(parameters?[0]?["name"] == "cart")
        #expect(parameters?[0]?["in"] == "cookie")
        #expect(parameters?[0]?["required"] == nil, "optional, so not required")
    }
}
