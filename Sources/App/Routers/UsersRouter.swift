import Foundation
import TernAPI

@Input
struct ReadUsersInput {
    @Depends var superuser: CurrentSuperuser
    @Depends var page: Pagination
    @Depends var users: UserService
}

@Input
struct CreateUserInput {
    @Body var user: UserCreate
    @Depends var superuser: CurrentSuperuser
    @Depends var users: UserService
}

@Input
struct CurrentUserInput {
    @Depends var current: CurrentUser
    @Depends var users: UserService
}

@Input
struct CallerInput {
    @Depends var caller: Caller
}

@Input
struct UpdateUserMeInput {
    @Body var changes: UserUpdateMe
    @Depends var current: CurrentUser
    @Depends var users: UserService
}

@Input
struct UpdatePasswordMeInput {
    @Body var change: UpdatePassword
    @Depends var current: CurrentUser
    @Depends var users: UserService
    @Depends var password: PasswordConfirmation
}

@Input
struct RegisterUserInput {
    @Body var user: UserRegister
    @Depends var users: UserService
}

@Input
struct ReadUserByIdInput {
    @Path var userId: UUID
    @Depends var current: CurrentUser
    @Depends var users: UserService
}

@Input
struct UpdateUserInput {
    @Path var userId: UUID
    @Body var changes: UserUpdate
    @Depends var superuser: CurrentSuperuser
    @Depends var users: UserService
}

@Input
struct DeleteUserInput {
    @Path var userId: UUID
    @Depends var superuser: CurrentSuperuser
    @Depends var users: UserService
}

/// User accounts (tag `users`).
@APIRouter(prefix: "/users", tags: ["users"])
struct UsersRouter {
    /// Retrieve users.
    @GET("/", scopes: [.usersManage])
    func readUsers(_ input: ReadUsersInput) async throws -> UsersPublic {
        let page = try await input.users.list(input.page)
        return UsersPublic(page, nextCursor: input.page.cursor(at: page.nextPosition))
    }

    /// Create new user.
    @POST("/", errors: [UserError.emailAlreadyRegistered], scopes: [.usersManage])
    func createUser(_ input: CreateUserInput) async throws -> UserPublic {
        UserPublic(try await input.users.create(input.user))
    }

    /// Get current user: by access token, API key or HTTP Basic.
    @GET("/me", cache: .private(), scopes: [.me])
    func readUserMe(_ input: CallerInput) -> UserPublic {
        UserPublic(input.caller.user)
    }

    /// Delete own user.
    @DELETE("/me", errors: [UserError.superuserCannotDeleteSelf], scopes: [.me])
    func deleteUserMe(_ input: CurrentUserInput) async throws -> Message {
        try await input.users.deleteSelf(input.current.user)
        return Message(message: "User deleted successfully")
    }

    /// Update own user.
    @PATCH("/me", errors: [UserError.emailInUse], scopes: [.me])
    func updateUserMe(_ input: UpdateUserMeInput) async throws -> UserPublic {
        UserPublic(try await input.users.update(input.current.user, with: input.changes))
    }

    /// Update own password.
    @PATCH("/me/password", errors: [UserError.incorrectPassword, UserError.newPasswordSameAsCurrent], scopes: [.me])
    func updatePasswordMe(_ input: UpdatePasswordMeInput) async throws -> Message {
        try await input.users.changePassword(
            of: input.current.user, in: input.current.session, input.change, confirmedBy: input.password)
        return Message(message: "Password updated successfully")
    }

    /// Create new user without the need to be logged in.
    @POST("/signup", errors: [UserError.emailAlreadyRegisteredOnSignup], rateLimits: [.signup])
    func registerUser(_ input: RegisterUserInput) async throws -> UserPublic {
        UserPublic(try await input.users.register(input.user))
    }

    /// Get a specific user by id.
    @GET("/{user_id}", errors: [UserError.insufficientPrivileges], cache: .private())
    func readUserById(_ input: ReadUserByIdInput) async throws -> UserPublic {
        UserPublic(try await input.users.read(id: input.userId, by: input.current))
    }

    /// Update a user.
    @PATCH("/{user_id}", errors: [UserError.notFoundForUpdate, UserError.emailInUse], scopes: [.usersManage])
    func updateUser(_ input: UpdateUserInput) async throws -> UserPublic {
        UserPublic(try await input.users.update(id: input.userId, with: input.changes))
    }

    /// Delete a user.
    @DELETE("/{user_id}", errors: [UserError.superuserCannotDeleteSelf], scopes: [.usersManage])
    func deleteUser(_ input: DeleteUserInput) async throws -> Message {
        try await input.users.delete(id: input.userId, by: input.superuser.user)
        return Message(message: "User deleted successfully")
    }
}
