import Foundation
import HTTPTypes
import TernAPI

@Input
struct LoginAccessTokenInput {
    @Depends var form: OAuth2PasswordRequestForm
    @Header(name: "X-TOTP-Code", description: "The second factor: a code from the authenticator app, or a recovery code.")
    var totpCode: String? = nil
    @Depends var login: LoginService
    @Depends var response: ResponseHeaders
}

@Input
struct RefreshInput {
    /// Absent when the token is in the cookie.
    @Body var body: RefreshTokenRequest? = nil
    @Cookie(name: "refresh_token", description: "The refresh token, when `REFRESH_TOKEN_COOKIE` is on and the body has none.")
    var cookie: String? = nil
    @Depends var login: LoginService
    @Depends var response: ResponseHeaders
}

@Input
struct TestTokenInput {
    @Depends var current: CurrentUser
}

@Input
struct LogoutInput {
    @Depends var current: CurrentUser
    @Depends var login: LoginService
    @Depends var response: ResponseHeaders
}

@Input
struct RecoverPasswordInput {
    @Path var email: String
    @Depends var login: LoginService
}

@Input
struct ResetPasswordInput {
    @Body var body: NewPassword
    @Depends var login: LoginService
}

@Input
struct VerifyEmailInput {
    @Body var body: EmailVerification
    @Depends var login: LoginService
}

@Input
struct ResendVerificationInput {
    @Depends var current: CurrentUser
    @Depends var users: UserService
}

@Input
struct RecoverPasswordHtmlContentInput {
    @Path var email: String
    @Depends var superuser: CurrentSuperuser
    @Depends var login: LoginService
}

/// Login, token check and password recovery (tag `login`).
@APIRouter(tags: ["login"])
struct LoginRouter {
    /// OAuth2 compatible token login, get an access token for future requests.
    @POST(
        "/login/access-token",
        errors: [
            AuthError.incorrectCredentials, UserError.inactive, UserError.emailNotVerified, AuthError.twoFactorRequired,
            AuthError.invalidTwoFactorCode,
        ],
        rateLimits: [.login])
    func loginAccessToken(_ input: LoginAccessTokenInput) async throws -> Token {
        let pair = try await input.login.login(
            email: input.form.username, password: input.form.password, scopes: input.form.scopes, secondFactor: input.totpCode)
        return input.login.refreshCookie.deliver(pair, response: input.response)
    }

    /// Exchange a refresh token for a new access token and refresh token. Each refresh token works
    /// once; one presented again ends its session.
    @POST("/login/refresh", errors: [AuthError.invalidRefreshToken, UserError.inactive])
    func refresh(_ input: RefreshInput) async throws -> Token {
        let refreshCookie = input.login.refreshCookie
        guard let token = refreshCookie.presented(body: input.body, cookie: input.cookie) else {
            throw AuthError.invalidRefreshToken
        }
        return refreshCookie.deliver(try await input.login.refresh(token: token), response: input.response)
    }

    /// Log out: end the session of this access token, and its refresh token.
    @POST("/logout")
    func logout(_ input: LogoutInput) async throws -> Message {
        try await input.login.logout(input.current)
        input.login.refreshCookie.clear(response: input.response)
        return Message(message: "Logged out")
    }

    /// Log out everywhere: end every session of the current user.
    @POST("/logout/all")
    func logoutEverywhere(_ input: LogoutInput) async throws -> Message {
        try await input.login.logoutEverywhere(input.current)
        input.login.refreshCookie.clear(response: input.response)
        return Message(message: "Logged out of every session")
    }

    /// Test access token.
    @POST("/login/test-token")
    func testToken(_ input: TestTokenInput) -> UserPublic {
        UserPublic(input.current.user)
    }

    /// Password Recovery.
    @POST("/password-recovery/{email}", rateLimits: [.passwordRecovery, .passwordRecoveryPerEmail])
    func recoverPassword(_ input: RecoverPasswordInput) async throws -> Message {
        try await input.login.recoverPassword(email: input.email)
        return Message(message: "If that email is registered, we sent a password recovery link")
    }

    /// Reset password.
    @POST("/reset-password/", errors: [AuthError.invalidResetToken, UserError.inactive])
    func resetPassword(_ input: ResetPasswordInput) async throws -> Message {
        try await input.login.resetPassword(token: input.body.token, newPassword: input.body.newPassword)
        return Message(message: "Password updated successfully")
    }

    /// Verify an email address with the token its link carries.
    @POST("/verify-email/", errors: [AuthError.invalidVerificationToken])
    func verifyEmail(_ input: VerifyEmailInput) async throws -> Message {
        try await input.login.verifyEmail(token: input.body.token)
        return Message(message: "Email verified")
    }

    /// Send the current user a new verification link.
    @POST("/verify-email/resend", rateLimits: [.verificationEmail], scopes: [.me])
    func resendVerificationEmail(_ input: ResendVerificationInput) async throws -> Message {
        guard !input.current.user.isVerified else { return Message(message: "Email already verified") }
        try await input.users.requestVerification(of: input.current.user)
        return Message(message: "Verification email sent")
    }

    /// HTML Content for Password Recovery.
    @POST("/password-recovery-html-content/{email}", errors: [UserError.notFoundByEmail], scopes: [.usersManage])
    func recoverPasswordHtmlContent(_ input: RecoverPasswordHtmlContentInput) async throws -> CustomResponse {
        let email = try await input.login.recoveryEmailPreview(for: input.email)
        return .html(email.html, headers: [.subject: email.subject])
    }
}

extension HTTPField.Name {
    /// The header the reference template sends the email subject in (there named `subject:`, which
    /// is not a valid header name; clients parse it as `subject`).
    fileprivate static let subject = HTTPField.Name("subject")!
}
