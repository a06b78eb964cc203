import TernAPI
import TernAPIDatabase

@Input
struct CreatePrivateUserInput {
    @Body var user: PrivateUserCreate
    @Depends var users: UserService
}

/// Development-only helpers for end-to-end tests (tag `private`); mounted only when
/// `ENVIRONMENT=development`.
@APIRouter(prefix: "/private", tags: ["private"])
struct PrivateRouter {
    /// Create a new user.
    @POST("/users/", errors: [DatabaseErrorAnswers.conflict])
    func createUser(_ input: CreatePrivateUserInput) async throws -> UserPublic {
        UserPublic(try await input.users.createUnchecked(input.user))
    }
}
