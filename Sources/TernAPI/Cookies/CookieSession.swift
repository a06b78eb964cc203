import Foundation
import HTTPTypes
import Hummingbird
import Synchronization

/// What a cookie session holds: a small `Codable` value, kept signed in a cookie of its own.
///
/// ```swift
/// struct Cart: CookieSessionContents {
///     static let cookieName = "cart"
///     var itemIDs: [UUID] = []
/// }
/// ```
public protocol CookieSessionContents: Codable, Sendable {
    /// The cookie's name: each kind of contents has its own cookie.
    static var cookieName: String { get }
}

/// An application context that signs cookie sessions: what ``CookieSession`` needs to be a
/// dependency.
public protocol CookieSessionContext: Sendable {
    var cookieSessions: CookieSessionSettings { get }
}

/// How cookie sessions are signed and what their cookies say: the options of Starlette's
/// `SessionMiddleware`, with its defaults.
public struct CookieSessionSettings: Sendable {
    /// Signs and verifies the cookies' values.
    public var signer: SignedCookies
    /// How long a session lasts without being renewed (14 days). A session in use is renewed once
    /// half of it has passed, so it ends only when unused for that long.
    public var maxAge: Duration
    public var path: String
    public var domain: String?
    public var sameSite: Cookie.SameSite
    /// Whether browsers send the cookie over HTTPS only (Starlette's `https_only`).
    public var secure: Bool

    public init(
        signer: SignedCookies, maxAge: Duration = .seconds(14 * 24 * 3600), path: String = "/", domain: String? = nil,
        sameSite: Cookie.SameSite = .lax, secure: Bool = false
    ) {
        self.signer = signer
        self.maxAge = maxAge
        self.path = path
        self.domain = domain
        self.sameSite = sameSite
        self.secure = secure
    }
}

/// A typed session kept in a signed cookie: FastAPI's `request.session` (Starlette's
/// `SessionMiddleware`), for one `Codable` value instead of a dictionary of anything.
///
/// ```swift
/// @Input struct AddToCartInput {
///     @Depends var cart: CookieSession<Cart>
///     @Path var itemID: UUID
/// }
/// ...
/// var cart = input.cart.contents ?? Cart()
/// cart.itemIDs.append(input.itemID)
/// try input.cart.set(cart)
/// ```
///
/// The client can read the contents (they are signed, not encrypted: keep secrets out of them) but
/// cannot change them: a cookie that does not verify, is older than ``CookieSessionSettings/maxAge``
/// or no longer decodes reads as no session, and is cleared. Changes go out with the operation's
/// successful answer only, so a failed operation leaves the session as it was; a session signed by
/// a previous secret is signed again with the newest.
public final class CookieSession<Contents: CookieSessionContents>: ContextDependency {
    public typealias Context = any CookieSessionContext

    private let settings: CookieSessionSettings
    /// Whether the request came with the cookie: only then is there one to clear.
    private let presented: Bool
    private let state: Mutex<State>

    private struct State {
        var contents: Contents?
        var outgoing: Outgoing
    }

    /// What the answer tells the browser.
    private enum Outgoing {
        case nothing
        /// Sign these bytes anew (changed, or renewed).
        case sign([UInt8])
        case clear
    }

    init(cookie: String?, settings: CookieSessionSettings) {
        self.settings = settings
        presented = cookie != nil
        guard let cookie else {
            state = Mutex(State(contents: nil, outgoing: .nothing))
            return
        }
        guard let verified = settings.signer.verify(cookie, cookieName: Contents.cookieName, maxAge: settings.maxAge),
            let contents = try? JSONDecoder().decode(Contents.self, from: Data(verified.payload))
        else {
            state = Mutex(State(contents: nil, outgoing: .clear))
            return
        }
        let halfLife = TimeInterval(settings.maxAge.components.seconds) / 2
        let renew = !verified.isSignedWithNewestKey || -verified.issuedAt.timeIntervalSinceNow > halfLife
        state = Mutex(State(contents: contents, outgoing: renew ? .sign(verified.payload) : .nothing))
    }

    /// The session's contents; `nil` when there is none.
    public var contents: Contents? {
        state.withLock { $0.contents }
    }

    /// Keeps `contents` as the session, from the operation's successful answer on.
    ///
    /// - Throws: ``CookieSessionTooLarge`` when the signed cookie would pass the 4 KB browsers keep.
    public func set(_ contents: Contents) throws {
        let payload = Array(try JSONEncoder().encode(contents))
        let size = Contents.cookieName.utf8.count + 1 + settings.signer.sign(payload, cookieName: Contents.cookieName).utf8.count
        guard size <= CookieSessionTooLarge.limit else { throw CookieSessionTooLarge(cookieName: Contents.cookieName, bytes: size) }
        state.withLock { $0 = State(contents: contents, outgoing: .sign(payload)) }
    }

    /// Ends the session: the answer tells the browser to forget the cookie, if it sent one.
    public func clear() {
        state.withLock { $0 = State(contents: nil, outgoing: presented ? .clear : .nothing) }
    }

    /// The `Set-Cookie` the answer carries, if the session changed.
    func outgoingCookie(now: Date = Date()) -> Cookie? {
        switch state.withLock({ $0.outgoing }) {
        case .nothing: return nil
        case .sign(let payload):
            return cookie(
                value: settings.signer.sign(payload, cookieName: Contents.cookieName, at: now),
                maxAge: Int(settings.maxAge.components.seconds))
        case .clear: return cookie(value: "", maxAge: 0)
        }
    }

    private func cookie(value: String, maxAge: Int) -> Cookie {
        Cookie(
            name: Contents.cookieName, value: value, maxAge: maxAge, domain: settings.domain, path: settings.path,
            secure: settings.secure, httpOnly: true, sameSite: settings.sameSite)
    }

    // MARK: Dependency

    public static func resolve(from context: any CookieSessionContext, in scope: RequestScope) async throws -> CookieSession {
        let session = CookieSession(cookie: scope.request.cookie(Contents.cookieName), settings: context.cookieSessions)
        scope.onSuccessfulResponse { fields in
            if let cookie = session.outgoingCookie() { fields.append(HTTPField(name: .setCookie, value: cookie.description)) }
        }
        return session
    }

    /// The cookie, for the API docs.
    public static func documentedParameters(from context: any CookieSessionContext) -> [ParameterDescription] {
        [ParameterDescription(Contents.cookieName, in: .cookie, String.self, options: .none, required: false)]
    }
}

/// A session too large for its cookie: a programming error (keep ids in a session, not records).
public struct CookieSessionTooLarge: Error, CustomStringConvertible {
    /// The most a browser keeps of one cookie, name and value together (RFC 6265 §6.1).
    public static let limit = 4093

    public let cookieName: String
    public let bytes: Int

    public var description: String {
        "the session cookie \(cookieName) would take \(bytes) bytes; browsers keep cookies of up to \(Self.limit)"
    }
}
