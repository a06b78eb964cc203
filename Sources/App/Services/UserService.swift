import Foundation
import Logging
import TernAPI
import TernAuth
import TernDatabase

/// The rules of user accounts: who may see, change and delete whom; unique emails; hashed passwords.
struct UserService: Sendable {
    let session: DatabaseSession
    let users: UserRepository
    let hasher: PasswordHasher
    let mailer: any Mailer
    let settings: Settings
    let logger: Logger

    func list(skip: Int, limit: Int) async throws -> (users: [User], count: Int) {
        try await users.page(skip: skip, limit: limit, on: session)
    }

    /// A superuser creates an account; the user is emailed when the server can send mail.
    func create(_ input: UserCreate) async throws -> User {
        let user = try await insert(
            email: input.email, password: input.password, fullName: input.fullName, isActive: input.isActive,
            isSuperuser: input.isSuperuser, taken: .emailAlreadyRegistered)
        if mailer.canSend {
            let email = EmailTemplates.newAccount(projectName: settings.projectName, email: user.email, link: settings.frontendHost)
            // Only for an account that was stored, and without holding the transaction meanwhile.
            await session.afterCommit { [mailer, logger] in
                do {
                    try await mailer.send(OutgoingEmail(to: user.email, subject: email.subject, html: email.html))
                } catch {
                    logger.warning("could not send the new-account email", metadata: ["error": "\(error)"])
                }
            }
        }
        return user
    }

    /// Someone signs up: an active, ordinary account.
    func register(_ input: UserRegister) async throws -> User {
        try await insert(
            email: input.email, password: input.password, fullName: input.fullName, isActive: true, isSuperuser: false,
            taken: .emailAlreadyRegisteredOnSignup)
    }

    /// The development-only route: no checks beyond the database's.
    func createUnchecked(_ input: PrivateUserCreate) async throws -> User {
        let user = User(
            id: UUID(), email: input.email, isActive: true, isSuperuser: false, fullName: input.fullName,
            hashedPassword: try await hasher.hash(input.password), createdAt: Date())
        return try await users.insert(user, on: session)
    }

    /// A user reads an account: their own, or any if they are a superuser.
    func read(id: UUID, by current: User) async throws -> User {
        if id == current.id { return current }
        guard current.isSuperuser else { throw UserError.insufficientPrivileges }
        guard let user = try await users.find(id: id, on: session) else { throw UserError.notFound }
        return user
    }

    /// A superuser changes an account; only the fields sent change.
    func update(id: UUID, with changes: UserUpdate) async throws -> User {
        // Hash before the first statement: the unit of work should not be open while hashing.
        let newHash = try await (changes.password.value ?? nil).asyncMap { try await hasher.hash($0) }
        // A null for a column that cannot be null (email, flags) leaves it as it is.
        let update = UserRepository.Changes(
            email: changes.email.value ?? nil, isActive: changes.isActive.value ?? nil, isSuperuser: changes.isSuperuser.value ?? nil,
            fullName: changes.fullName.value, hashedPassword: newHash)
        return try await save(id: id, update, missing: .notFoundForUpdate)
    }

    /// Users change their own name and email.
    func update(_ current: User, with changes: UserUpdateMe) async throws -> User {
        try await save(
            id: current.id, UserRepository.Changes(email: changes.email.value ?? nil, fullName: changes.fullName.value),
            missing: .notFound)
    }

    /// Users change their password, proving they know the current one.
    func changePassword(of current: User, _ change: UpdatePassword) async throws {
        guard try await hasher.verify(change.currentPassword, against: current.hashedPassword) != .invalid else {
            throw UserError.incorrectPassword
        }
        guard change.currentPassword != change.newPassword else { throw UserError.newPasswordSameAsCurrent }
        try await users.updatePassword(id: current.id, hashedPassword: try await hasher.hash(change.newPassword), on: session)
    }

    /// Users delete their own account, unless they are a superuser.
    func deleteSelf(_ current: User) async throws {
        guard !current.isSuperuser else { throw UserError.superuserCannotDeleteSelf }
        try await users.delete(id: current.id, on: session)
    }

    /// A superuser deletes an account, never their own.
    func delete(id: UUID, by current: User) async throws {
        guard id != current.id else { throw UserError.superuserCannotDeleteSelf }
        guard try await users.delete(id: id, on: session) else { throw UserError.notFound }
    }

    // MARK: Internals

    private func insert(
        email: String, password: String, fullName: String?, isActive: Bool, isSuperuser: Bool, taken: UserError
    ) async throws -> User {
        // Hash before the first statement: the unit of work should not be open while hashing.
        let hashedPassword = try await hasher.hash(password)
        let user = User(
            id: UUID(), email: email, isActive: isActive, isSuperuser: isSuperuser, fullName: fullName,
            hashedPassword: hashedPassword, createdAt: Date())
        // The unique index on email is the check: one statement, and no race between a look-up and the insert.
        do {
            return try await users.insert(user, on: session)
        } catch let error as DatabaseError where error.kind == .uniqueViolation {
            throw taken
        }
    }

    /// Updates an account; a taken email is refused by the unique index, an unknown id finds no row.
    private func save(id: UUID, _ changes: UserRepository.Changes, missing: UserError) async throws -> User {
        let updated: User?
        do {
            updated = try await users.update(id: id, changes, on: session)
        } catch let error as DatabaseError where error.kind == .uniqueViolation {
            throw UserError.emailInUse
        }
        guard let updated else { throw missing }
        return updated
    }
}

extension Optional {
    /// `map` with an async transform.
    fileprivate func asyncMap<T>(_ transform: (Wrapped) async throws -> T) async rethrows -> T? {
        guard let self else { return nil }
        return try await transform(self)
    }
}
