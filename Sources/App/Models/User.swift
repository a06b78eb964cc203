import Foundation

/// A user account, as stored in the `"user"` table.
struct User: Sendable, Decodable {
    let id: UUID
    var email: String
    var isActive: Bool
    var isSuperuser: Bool
    var fullName: String?
    /// A PHC string (`$argon2id$...`) or a legacy bcrypt hash; never leaves the server.
    var hashedPassword: String
    let createdAt: Date?
}
