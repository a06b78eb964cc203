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
