import Hummingbird
import TernAPI
import TernOIDC

@Input
struct IdentityProvidersInput {
    @Depends var signIn: ExternalSignInService
}

@Input
struct BeginSignInInput {
    @Path(description: "The provider's name, as in `OIDC_PROVIDERS`.") var provider: String
    @Depends var signIn: ExternalSignInService
}

@Input
struct SignInCallbackInput {
    @Path(description: "The provider's name, as in `OIDC_PROVIDERS`.") var provider: String
    @Query(description: "The authorization code.") var code: String? = nil
    @Query(description: "The state the sign-in was started with.") var state: String? = nil
    @Query(description: "Why the provider sent no code (the user declined, say).") var error: String? = nil
    @Query(name: "error_description") var errorDescription: String? = nil
    @Cookie(name: "sign_in_flow", description: "The sign-in's sealed secrets, set when it started.") var flow: String? = nil
    @Depends var signIn: ExternalSignInService
    @Depends var response: ResponseHeaders
}

/// Signing in with an identity provider (tag `login`): `GET /login/oidc/{provider}` sends the browser
/// to the provider's consent page, which sends it back to `/login/oidc/{provider}/callback`, which
/// answers as `POST /login/access-token` does.
@APIRouter(tags: ["login"])
struct SignInRouter {
    /// The identity providers people may sign in with.
    @GET("/login/oidc/")
    func identityProviders(_ input: IdentityProvidersInput) -> IdentityProvidersPublic {
        let apiPrefix = input.signIn.apiPrefix
        let providers = input.signIn.providers.all.map {
            IdentityProviderPublic(name: $0.name, url: "\(apiPrefix)/login/oidc/\($0.name)")
        }
        return IdentityProvidersPublic(data: providers, count: providers.count)
    }

    /// Sign in with an identity provider: redirects the browser to its consent page.
    @GET(
        "/login/oidc/{provider}", status: .found,
        errors: [ExternalSignInError.unknownProvider, ExternalSignInError.providerUnavailable])
    func beginSignIn(_ input: BeginSignInInput) async throws -> CustomResponse {
        let (location, sealedFlow) = try await input.signIn.begin(provider: input.provider)
        let cookie = SignInFlowCookie.cookie(sealedFlow, provider: input.provider, for: input.signIn)
        return .redirect(to: location, headers: [.setCookie: cookie.description])
    }

    /// Where the identity provider sends the browser back: signs in, and answers with tokens as
    /// `POST /login/access-token` does.
    @GET(
        "/login/oidc/{provider}/callback",
        errors: [
            ExternalSignInError.unknownProvider, ExternalSignInError.refused, ExternalSignInError.providerUnavailable,
            ExternalSignInError.emailNotVerified, ExternalSignInError.twoFactorAccount, UserError.inactive,
        ])
    func signInCallback(_ input: SignInCallbackInput) async throws -> Token {
        let callback = SignInCallback(code: input.code, state: input.state, error: input.error, errorDescription: input.errorDescription)
        let pair = try await input.signIn.complete(provider: input.provider, callback: callback, sealedFlow: input.flow)
        input.response.setCookie(SignInFlowCookie.cookie("", provider: input.provider, for: input.signIn, maxAge: 0))
        // Tokens are not to be kept by any cache (RFC 6749 §5.1).
        input.response.append(.cacheControl, "no-store")
        return input.signIn.refreshCookie.deliver(pair, response: input.response)
    }
}

/// The cookie a sign-in's sealed secrets wait in while the browser is at the provider: HttpOnly;
/// SameSite=Lax, since the browser comes back by a link from the provider's site (Strict would
/// leave the cookie behind); sent only to the provider's sign-in paths; Secure when this API is
/// served over HTTPS.
enum SignInFlowCookie {
    static let name = "sign_in_flow"

    static func cookie(
        _ value: String, provider: String, for service: ExternalSignInService,
        maxAge: Int = Int(ExternalSignInService.flowLifetime.components.seconds)
    ) -> Cookie {
        Cookie(
            name: name, value: value, maxAge: maxAge, path: "\(service.apiPrefix)/login/oidc/\(provider)",
            secure: service.callbackBaseURL.hasPrefix("https://"), httpOnly: true, sameSite: .lax)
    }
}
