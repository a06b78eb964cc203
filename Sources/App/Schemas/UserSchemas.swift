import Foundation
import TernAPI
import TernCache

// The fields keep the rules and defaults of the model they come from, so that the document (and
// the clients generated from it) reads as the reference template's: only `email` and `id` required.
// But not the email format: the development-only private route stores any text as an email, as the
// reference's does, and a document must not promise what the server may not hold to.

/// A user as the API shows it: never the password hash.
@Schema
struct UserPublic {
    @Field(maxLength: 255) var email: String
    var isActive: Bool = true
    var isSuperuser: Bool = false
    @Field(maxLength: 255) var fullName: String?
    var id: UUID
    var createdAt: Date?
    var role: Role = .user
    var isVerified: Bool = false
}

/// The current user is cached as the API answers it, by its own JSON writer and validator.
extension UserPublic: CacheValue {
    init(_ user: User) {
        self.init(
            email: user.email, isActive: user.isActive, isSuperuser: user.isSuperuser, fullName: user.fullName,
            id: user.id, createdAt: user.createdAt, role: user.role, isVerified: user.isVerified)
    }
}

extension User {
    /// The user as the cache keeps it.
    init(_ user: UserPublic) {
        self.init(
            id: user.id, email: user.email, isActive: user.isActive, isSuperuser: user.isSuperuser, fullName: user.fullName,
            createdAt: user.createdAt, role: user.role, isVerified: user.isVerified)
    }
}

/// A page of users, with the total count and, when more follow, the cursor of the next page.
@Schema
struct UsersPublic {
    var data: [UserPublic]
    var count: Int
    var nextCursor: String?
}

extension UsersPublic {
    /// A page as the service lists it.
    init(_ page: Page<User>, nextCursor: String? = nil) {
        self.init(data: page.rows.map(UserPublic.init), count: page.count, nextCursor: nextCursor)
    }
}

/// A user created by a superuser.
@Schema
struct UserCreate {
    @Field(maxLength: 255, format: .email) var email: String
    @Field(minLength: 8, maxLength: 128) var password: String
    var isActive: Bool = true
    var isSuperuser: Bool = false
    @Field(maxLength: 255) var fullName: String?
    var role: Role = .user
}

/// A user signing up.
@Schema
struct UserRegister {
    @Field(maxLength: 255, format: .email) var email: String
    @Field(minLength: 8, maxLength: 128) var password: String
    @Field(maxLength: 255) var fullName: String?
}

/// Changes a superuser makes to a user; only the fields sent are applied.
@Schema
struct UserUpdate {
    @Field(maxLength: 255, format: .email) var email: Patch<String?> = .unset
    var isActive: Patch<Bool?> = .unset
    var isSuperuser: Patch<Bool?> = .unset
    @Field(maxLength: 255) var fullName: Patch<String?> = .unset
    @Field(minLength: 8, maxLength: 128) var password: Patch<String?> = .unset
    var role: Patch<Role?> = .unset
}

/// Changes users make to their own account; only the fields sent are applied.
@Schema
struct UserUpdateMe {
    @Field(maxLength: 255) var fullName: Patch<String?> = .unset
    @Field(maxLength: 255, format: .email) var email: Patch<String?> = .unset
}

/// A password change by the account's owner.
@Schema
struct UpdatePassword {
    @Field(minLength: 8, maxLength: 128) var currentPassword: String
    @Field(minLength: 8, maxLength: 128) var newPassword: String
}

/// A user created through the development-only route, used by end-to-end tests.
@Schema
struct PrivateUserCreate {
    var email: String
    var password: String
    var fullName: String
    var isVerified: Bool = false
}
