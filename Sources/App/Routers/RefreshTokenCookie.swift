import Hummingbird
import TernAPI
import TernAuth

/// The cookie a browser keeps its refresh token in when `REFRESH_TOKEN_COOKIE` is on: HttpOnly, so
/// no script (and no injected one) reads it; Secure, so it never crosses plain HTTP; SameSite=Strict,
/// so another site cannot make the browser refresh; and sent only to the login paths, where
/// `POST /login/refresh` reads it.
struct RefreshTokenCookie: Sendable {
    static let name = "refresh_token"
    /// `REFRESH_TOKEN_COOKIE`: whether the refresh token travels in the cookie at all.
    let isEnabled: Bool
    /// The session's absolute lifetime, the cookie's too.
    let maxAge: Int
    /// The login paths, under the API's prefix.
    let path: String

    init(settings: Settings) {
        isEnabled = settings.sessions.inCookie
        maxAge = Int(settings.sessions.absoluteLifetime.components.seconds)
        path = "\(settings.apiPrefix)/login"
    }

    /// Hands the pair to the client: the refresh token in the cookie, out of the JSON body, when the
    /// setting says so.
    func deliver(_ pair: TokenPair, response: ResponseHeaders) -> Token {
        guard isEnabled else { return Token(pair) }
        response.setCookie(cookie(value: pair.refreshToken, maxAge: maxAge))
        return Token(accessToken: pair.accessToken)
    }

    /// Tells the browser to forget the cookie (on logout).
    func clear(response: ResponseHeaders) {
        guard isEnabled else { return }
        response.setCookie(cookie(value: "", maxAge: 0))
    }

    /// The refresh token a request presents: in the body, or in the cookie when the setting allows it.
    func presented(body: RefreshTokenRequest?, cookie: String?) -> String? {
        body?.refreshToken ?? (isEnabled ? cookie : nil)
    }

    private func cookie(value: String, maxAge: Int) -> Cookie {
        Cookie(name: Self.name, value: value, maxAge: maxAge, path: path, secure: true, httpOnly: true, sameSite: .strict)
    }
}
