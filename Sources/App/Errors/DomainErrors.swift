import TernAPI

// What can go wrong in the domain, by situation, each with its HTTP answer: the status codes and
// `detail` texts the clients of the full-stack FastAPI template expect. Situations that look alike
// stay separate cases because those clients tell them apart by status or by text (a taken email is a
// 400 on creation, a 409 on update).

/// What can go wrong with users.
enum UserError: APIErrorConvertible, Equatable {
    /// A superuser creates a user whose email is taken.
    case emailAlreadyRegistered
    /// Someone signs up with a taken email.
    case emailAlreadyRegisteredOnSignup
    /// An update would give a user another user's email.
    case emailInUse
    case notFound
    /// A superuser updates a user that does not exist.
    case notFoundForUpdate
    /// A superuser previews the recovery email of an unknown address.
    case notFoundByEmail
    case inactive
    /// A user logs in before verifying their email, where `EMAIL_VERIFICATION_REQUIRED` says they must.
    case emailNotVerified
    case incorrectPassword
    case newPasswordSameAsCurrent
    case superuserCannotDeleteSelf
    case insufficientPrivileges

    var apiError: APIError {
        switch self {
        case .emailAlreadyRegistered: APIError(.badRequest, "The user with this email already exists in the system.")
        case .emailAlreadyRegisteredOnSignup: APIError(.badRequest, "The user with this email already exists in the system")
        case .emailInUse: APIError(.conflict, "User with this email already exists")
        case .notFound: APIError(.notFound, "User not found")
        case .notFoundForUpdate: APIError(.notFound, "The user with this id does not exist in the system")
        case .notFoundByEmail: APIError(.notFound, "The user with this username does not exist in the system.")
        case .inactive: APIError(.badRequest, "Inactive user")
        case .emailNotVerified: APIError(.badRequest, "Email not verified")
        case .incorrectPassword: APIError(.badRequest, "Incorrect password")
        case .newPasswordSameAsCurrent: APIError(.badRequest, "New password cannot be the same as the current one")
        case .superuserCannotDeleteSelf: APIError(.forbidden, "Super users are not allowed to delete themselves")
        case .insufficientPrivileges: APIError(.forbidden, "The user doesn't have enough privileges")
        }
    }
}

/// What can go wrong with items.
enum ItemError: APIErrorConvertible, Equatable, CaseIterable {
    case notFound
    case notEnoughPermissions

    var apiError: APIError {
        switch self {
        case .notFound: APIError(.notFound, "Item not found")
        case .notEnoughPermissions: APIError(.forbidden, "Not enough permissions")
        }
    }
}

/// What can go wrong with an item's attachment (besides its item's errors).
enum AttachmentError: APIErrorConvertible, CaseIterable {
    case notFound

    var apiError: APIError { APIError(.notFound, "Attachment not found") }
}

/// What can go wrong when logging in or resetting a password.
enum AuthError: APIErrorConvertible, Equatable {
    /// Unknown email or wrong password: the same answer for both.
    case incorrectCredentials
    /// A password-reset token that is invalid, expired, or names no user.
    case invalidResetToken
    /// An access token that is invalid or expired.
    case invalidAccessToken
    /// A refresh token that is invalid, expired, used already, or whose session ended.
    case invalidRefreshToken
    /// An email-verification token that is invalid, expired, names no user, or an address the user
    /// no longer has.
    case invalidVerificationToken
    /// An `X-API-Key` that is not a live key: malformed, unknown, revoked or expired.
    case invalidAPIKey
    /// HTTP Basic credentials with an unknown email or a wrong password.
    case incorrectBasicCredentials

    /// The account has a second factor, and its code was not given (in `X-TOTP-Code`).
    case twoFactorRequired
    /// The second factor's code is wrong, too old, or used before.
    case invalidTwoFactorCode

    /// HTTP Basic for an account with a second factor: each request would spend a code.
    case basicWithTwoFactor

    /// The realm HTTP Basic challenges name.
    static let basicRealm = "api"

    var apiError: APIError {
        switch self {
        case .incorrectCredentials: APIError(.badRequest, "Incorrect email or password")
        case .invalidResetToken: APIError(.badRequest, "Invalid token")
        case .invalidAccessToken: APIError(.forbidden, "Could not validate credentials")
        case .invalidRefreshToken: APIError(.unauthorized, "Invalid refresh token")
        case .invalidVerificationToken: APIError(.badRequest, "Invalid token")
        case .invalidAPIKey: APIError(.unauthorized, "Invalid API key", headers: [.wwwAuthenticate: "APIKey"])
        case .basicWithTwoFactor:
            APIError(
                .unauthorized, "HTTP Basic is not accepted for accounts with two-factor authentication: use an API key",
                headers: [.wwwAuthenticate: HTTPBasicCredentials.challenge(realm: Self.basicRealm)])
        case .twoFactorRequired:
            APIError(.unauthorized, "Two-factor code required", headers: [.wwwAuthenticate: #"TOTP header="X-TOTP-Code""#])
        case .invalidTwoFactorCode:
            APIError(.unauthorized, "Invalid two-factor code", headers: [.wwwAuthenticate: #"TOTP header="X-TOTP-Code""#])
        case .incorrectBasicCredentials:
            APIError(
                .unauthorized, "Incorrect email or password",
                headers: [.wwwAuthenticate: HTTPBasicCredentials.challenge(realm: Self.basicRealm)])
        }
    }
}

/// What can go wrong signing in with an identity provider.
enum ExternalSignInError: APIErrorConvertible, Equatable, CaseIterable {
    /// No provider of that name in `OIDC_PROVIDERS`.
    case unknownProvider
    /// The flow expired or is not this browser's, the user cancelled, the provider turned the code
    /// down, or its ID token did not check out (the logs say which).
    case refused
    /// The provider could not be reached or answered nonsense.
    case providerUnavailable
    /// The provider's account has no email it verified, so it cannot be matched to a user.
    case emailNotVerified
    /// The account has a second factor: a provider's word alone does not sign it in.
    case twoFactorAccount

    var apiError: APIError {
        switch self {
        case .unknownProvider: APIError(.notFound, "Identity provider not found")
        case .refused: APIError(.badRequest, "Sign-in with the identity provider failed")
        case .providerUnavailable: APIError(.badGateway, "The identity provider could not be reached")
        case .emailNotVerified: APIError(.forbidden, "The identity provider has not verified this account's email")
        case .twoFactorAccount:
            APIError(.forbidden, "This account uses two-factor authentication: log in with its password and code")
        }
    }
}

/// What can go wrong setting up or removing a second factor.
enum TwoFactorError: APIErrorConvertible, Equatable, CaseIterable {
    case alreadyEnabled
    case notEnrolled
    case invalidCode

    var apiError: APIError {
        switch self {
        case .alreadyEnabled: APIError(.conflict, "Two-factor authentication is already on")
        case .notEnrolled: APIError(.badRequest, "Two-factor authentication is not being set up, or is off")
        case .invalidCode: APIError(.badRequest, "Invalid two-factor code")
        }
    }
}

/// What can go wrong with API keys.
enum APIKeyError: APIErrorConvertible, Equatable {
    /// The user has no live key with this id.
    case notFound
    /// A key asked for a scope the application does not have.
    case unknownScope(String)

    var apiError: APIError {
        switch self {
        case .notFound: APIError(.notFound, "API key not found")
        case .unknownScope(let name): APIError(.badRequest, "Unknown scope: \(name)")
        }
    }
}

/// What can go wrong with jobs.
enum JobError: APIErrorConvertible, Equatable, CaseIterable {
    /// No dead job has the id asked for: it never existed, or was retried or purged meanwhile.
    case notFound

    var apiError: APIError { APIError(.notFound, "Job not found") }
}

/// Email cannot be sent.
enum EmailError: APIErrorConvertible, Equatable {
    case notConfigured

    var apiError: APIError { APIError(.serviceUnavailable, "Email is not configured on this server") }
}

/// The service cannot do its work.
enum HealthError: APIErrorConvertible, Equatable {
    /// The database does not answer.
    case databaseUnavailable

    var apiError: APIError { APIError(.serviceUnavailable, "Database unavailable") }
}
