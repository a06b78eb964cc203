import Hummingbird
import TernAPI
import TernAuth

/// The cookie a browser keeps its refresh token in when `REFRESH_TOKEN_COOKIE` is on: HttpOnly, so
/// no script (and no injected one) reads it; Secure, so it never crosses plain HTTP; SameSite=Strict,
/// so another site cannot make the browser refresh; and sent only to the login paths, where
/// `POST /login/refresh` reads it.
enum RefreshTokenCookie {
    static let name = "refresh_token"

    /// Hands the pair to the client: the refresh token in the cookie, out of the JSON body, when the
    /// setting says so.
    static func deliver(_ pair: TokenPair, settings: Settings, response: ResponseHeaders) -> Token {
        guard settings.sessions.inCookie else { return Token(pair) }
        response.setCookie(cookie(value: pair.refreshToken, maxAge: Int(settings.sessions.absoluteLifetime.components.seconds), settings))
        return Token(accessToken: pair.accessToken)
    }

    /// Tells the browser to forget the cookie (on logout).
    static func clear(settings: Settings, response: ResponseHeaders) {
        guard settings.sessions.inCookie else { return }
        response.setCookie(cookie(value: "", maxAge: 0, settings))
    }

    /// The refresh token a request presents: in the body, or in the cookie when the setting allows it.
    static func presented(body: RefreshTokenRequest?, cookie: String?, settings: Settings) -> String? {
        body?.refreshToken ?? (settings.sessions.inCookie ? cookie : nil)
    }

    private static func cookie(value: String, maxAge: Int, _ settings: Settings) -> Cookie {
        Cookie(
            name: name, value: value, maxAge: maxAge, path: "\(settings.apiPrefix)/login", secure: true, httpOnly: true,
            sameSite: .strict)
    }
}
