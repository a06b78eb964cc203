import Foundation

/// A user account, as stored in the `"user"` table, without its password hash: what requests pass
/// around and the cache keeps. The hash is read only where a password is checked (``UserCredentials``).
struct User: Sendable, Decodable {
    let id: UUID
    var email: String
    var isActive: Bool
    var isSuperuser: Bool
    var fullName: String?
    let createdAt: Date?
    /// What the user may do besides (``grantedScopes``); a superuser may do everything.
    var role: Role = .user
    /// Whether they proved they own their email (a superuser vouches for the accounts they create).
    var isVerified: Bool = false

    /// The longest email and full name stored (the schemas' limit).
    static let maximumTextLength = 255

    /// Whether a user whose credentials are right may sign in: active, and verified where
    /// `EMAIL_VERIFICATION_REQUIRED` (`verificationRequired`) says so.
    func checkMaySignIn(verificationRequired: Bool) throws(UserError) {
        guard isActive else { throw .inactive }
        guard isVerified || !verificationRequired else { throw .emailNotVerified }
    }
}

/// A user with their password hash: a PHC string (`$argon2id$...`) or a legacy bcrypt hash, which
/// never leaves the server.
struct UserCredentials: Sendable, Decodable {
    let user: User
    let hashedPassword: String

    private enum CodingKeys: String, CodingKey {
        case hashedPassword
    }

    /// From one row holding the user's columns and `hashed_password`.
    init(from decoder: any Decoder) throws {
        user = try User(from: decoder)
        hashedPassword = try decoder.container(keyedBy: CodingKeys.self).decode(String.self, forKey: .hashedPassword)
    }
}
