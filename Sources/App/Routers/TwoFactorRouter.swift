import TernAPI
import TernAuth

@Input
struct BeginTwoFactorInput {
    @Body var body: PasswordCheck
    @Depends var current: CurrentUser
    @Depends var twoFactor: TwoFactorService
}

@Input
struct ConfirmTwoFactorInput {
    @Body var body: TOTPCode
    @Depends var current: CurrentUser
    @Depends var twoFactor: TwoFactorService
}

@Input
struct DisableTwoFactorInput {
    @Header(name: "X-TOTP-Code", description: "A current code from the authenticator app, or a recovery code.")
    var code: String
    @Depends var current: CurrentUser
    @Depends var twoFactor: TwoFactorService
}

/// The current user's second factor (tag `users`): a TOTP authenticator app, asked for at login in
/// `X-TOTP-Code` once switched on.
@APIRouter(prefix: "/users/me/totp", tags: ["users"], scopes: [.me])
struct TwoFactorRouter {
    /// Start setting up two-factor authentication, with the password: the secret for the
    /// authenticator app. It is not in force until confirmed with a code from the app.
    @POST("/", errors: [TwoFactorError.alreadyEnabled])
    func beginTwoFactor(_ input: BeginTwoFactorInput) async throws -> TOTPEnrollment {
        let enrollment = try await input.twoFactor.begin(for: input.current.user, currentPassword: input.body.currentPassword)
        return TOTPEnrollment(secret: enrollment.secret, otpauthUri: enrollment.uri)
    }

    /// Switch two-factor authentication on with a first code from the app: the recovery codes, shown once.
    @POST("/confirm", errors: [TwoFactorError.notEnrolled, TwoFactorError.invalidCode])
    func confirmTwoFactor(_ input: ConfirmTwoFactorInput) async throws -> RecoveryCodes {
        RecoveryCodes(recoveryCodes: try await input.twoFactor.confirm(for: input.current.user, code: input.body.code))
    }

    /// Switch two-factor authentication off, with a current code or a recovery code.
    @DELETE("/", errors: [TwoFactorError.notEnrolled, TwoFactorError.invalidCode])
    func disableTwoFactor(_ input: DisableTwoFactorInput) async throws -> Message {
        try await input.twoFactor.disable(for: input.current.user, code: input.code)
        return Message(message: "Two-factor authentication turned off")
    }
}
