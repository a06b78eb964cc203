/// What can go wrong with users, by situation; ``AppErrorMapping`` turns each into its status and
/// `detail` text. Situations that look alike stay separate cases because clients of the FastAPI
/// template tell them apart by status or by text (a taken email is a 400 on creation, a 409 on update).
enum UserError: Error, Equatable {
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
    case incorrectPassword
    case newPasswordSameAsCurrent
    case superuserCannotDeleteSelf
    case insufficientPrivileges
}

/// What can go wrong with items.
enum ItemError: Error, Equatable {
    case notFound
    case notEnoughPermissions
}

/// What can go wrong when logging in or resetting a password.
enum AuthError: Error, Equatable {
    /// Unknown email or wrong password: the same answer for both.
    case incorrectCredentials
    /// A password-reset token that is invalid, expired, or names no user.
    case invalidResetToken
    /// An access token that is invalid or expired.
    case invalidAccessToken
}

/// Email cannot be sent.
enum EmailError: Error, Equatable {
    case notConfigured
}

/// The service cannot do its work.
enum HealthError: Error, Equatable {
    /// The database does not answer.
    case databaseUnavailable
}
