import TernAPI
import TernAuth

/// Every domain error's HTTP answer, in one place: the status codes and `detail` texts the clients
/// of the full-stack FastAPI template expect (the texts differ slightly on purpose, so each case
/// keeps its own).
enum AppErrorMapping {
    static func register(on handlers: inout ErrorHandlers) {
        handlers.register(UserError.self) { error in
            switch error {
            case .emailAlreadyRegistered: APIError(.badRequest, "The user with this email already exists in the system.")
            case .emailAlreadyRegisteredOnSignup: APIError(.badRequest, "The user with this email already exists in the system")
            case .emailInUse: APIError(.conflict, "User with this email already exists")
            case .notFound: APIError(.notFound, "User not found")
            case .notFoundForUpdate: APIError(.notFound, "The user with this id does not exist in the system")
            case .notFoundByEmail: APIError(.notFound, "The user with this username does not exist in the system.")
            case .inactive: APIError(.badRequest, "Inactive user")
            case .incorrectPassword: APIError(.badRequest, "Incorrect password")
            case .newPasswordSameAsCurrent: APIError(.badRequest, "New password cannot be the same as the current one")
            case .superuserCannotDeleteSelf: APIError(.forbidden, "Super users are not allowed to delete themselves")
            case .insufficientPrivileges: APIError(.forbidden, "The user doesn't have enough privileges")
            }
        }
        handlers.register(ItemError.self) { error in
            switch error {
            case .notFound: APIError(.notFound, "Item not found")
            case .notEnoughPermissions: APIError(.forbidden, "Not enough permissions")
            }
        }
        handlers.register(AuthError.self) { error in
            switch error {
            case .incorrectCredentials: APIError(.badRequest, "Incorrect email or password")
            case .invalidResetToken: APIError(.badRequest, "Invalid token")
            case .invalidAccessToken: APIError(.forbidden, "Could not validate credentials")
            }
        }
        handlers.register(EmailError.self) { _ in
            APIError(.serviceUnavailable, "Email is not configured on this server")
        }
        handlers.register(PasswordHasherBusy.self) { error in
            APIError(.serviceUnavailable, headers: [.retryAfter: "\(error.retryAfterSeconds)"])
        }
        handlers.register(HealthError.self) { _ in
            APIError(.serviceUnavailable, "Database unavailable")
        }
    }
}
