import Crypto
import Foundation
import Hummingbird
import TernAPI
import TernAuth
import TernDatabase
import TernPrimitives

/// Who is signed in to the jobs dashboard: the superuser whose access token the dashboard's cookie
/// holds, or nobody (no cookie, a token that no longer verifies, a user who is not, or no longer, an
/// active superuser).
///
/// A browser sends no bearer header from a link or a form, so the dashboard's sign-in keeps an access
/// token in a cookie (``signInCookie(token:settings:request:)``): HttpOnly, so no script reads it;
/// SameSite=Strict, so no other site's link or form sends it; Secure over HTTPS; sent to the
/// dashboard's paths only. Forms that change something also carry the session's CSRF token
/// (``csrfToken``): an HMAC of the access token under a key derived from `SECRET_KEY`, which another
/// site can neither read nor compute, so a forged form fails even where a browser sends the cookie.
struct DashboardSession: Dependency {
    /// The signed-in superuser and their sign-in session; `nil` when nobody is signed in.
    let current: CurrentUser?
    /// The signed-in superuser; `nil` when nobody is signed in.
    var user: User? { current?.user }
    /// The access token the cookie holds, when it signs ``user`` in.
    private let token: String?
    private let csrfKey: SymmetricKey

    /// The cookie's name.
    static let cookieName = "tern_jobs_dashboard"

    @Input
    struct Needs {
        @Depends var app: AppServices
        @Depends var database: Database
    }

    static func resolve(_ needs: Needs, in scope: RequestScope) async throws -> DashboardSession {
        let key = csrfKey(secret: needs.app.settings.secretKey)
        let signedOut = DashboardSession(current: nil, token: nil, csrfKey: key)
        guard let token = scope.request.cookie(cookieName), !token.isEmpty else { return signedOut }
        do {
            let current = try await CurrentUser.bearing(token, app: needs.app, database: needs.database)
            // A superuser demoted since signing in is signed out by their next request.
            guard current.user.isSuperuser else { return signedOut }
            return DashboardSession(current: current, token: token, csrfKey: key)
        } catch is AuthError, is UserError {
            return signedOut
        }
    }

    // MARK: CSRF

    /// The token the session's forms carry; empty when nobody is signed in.
    var csrfToken: String {
        guard let token else { return "" }
        return Array(HMAC<SHA256>.authenticationCode(for: Data(token.utf8), using: csrfKey)).lowercaseHex
    }

    /// Checks a form that changes something: `true` when a superuser is signed in and the form carries
    /// their CSRF token; `false` when nobody is signed in (the page then asks to sign in).
    ///
    /// - Throws: ``DashboardError/invalidCSRFToken`` for a form without this session's token: forged,
    ///   or rendered for an earlier sign-in.
    func authorize(csrfToken candidate: String) throws(DashboardError) -> Bool {
        guard user != nil else { return false }
        guard SecretBytes.equal(candidate, csrfToken) else { throw .invalidCSRFToken }
        return true
    }

    /// A key of the dashboard's own, so that its MACs can never be mistaken for anything else
    /// `SECRET_KEY` signs (access tokens).
    private static func csrfKey(secret: String) -> SymmetricKey {
        HKDF<SHA256>.deriveKey(
            inputKeyMaterial: SymmetricKey(data: Data(secret.utf8)), info: Data("tern jobs dashboard csrf".utf8),
            outputByteCount: 32)
    }

    // MARK: The cookie

    /// The cookie that signs `token` in, for as long as the token is valid.
    static func signInCookie(token: String, settings: Settings, request: IncomingRequest) -> Cookie {
        Cookie(
            name: cookieName, value: token, maxAge: settings.accessTokenExpireMinutes * 60, path: JobsDashboardRouter.path(settings),
            secure: isSecure(request, settings: settings), httpOnly: true, sameSite: .strict)
    }

    /// The cookie that signs out: empty, and already expired.
    static func signOutCookie(settings: Settings, request: IncomingRequest) -> Cookie {
        Cookie(
            name: cookieName, value: "", maxAge: 0, path: JobsDashboardRouter.path(settings),
            secure: isSecure(request, settings: settings), httpOnly: true, sameSite: .strict)
    }

    /// Whether the cookie is Secure: outside development always, and for any request that came over
    /// HTTPS, to the server or to a proxy in front of it (`X-Forwarded-Proto`, `Forwarded`). The
    /// forwarded headers are believed from anyone: all a forged one can do is add Secure, which keeps
    /// the token off plain HTTP.
    static func isSecure(_ request: IncomingRequest, settings: Settings) -> Bool {
        settings.environment != .development || request.request.arrivedOverHTTPS
    }
}

/// Why the dashboard refuses a form.
enum DashboardError: APIErrorConvertible, Equatable {
    /// A form that changes something came without the signed-in session's CSRF token.
    case invalidCSRFToken

    var apiError: APIError {
        APIError(.forbidden, "The form's CSRF token is missing or stale: reload the dashboard and try again")
    }
}
