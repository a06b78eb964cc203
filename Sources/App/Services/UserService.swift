import Foundation
import Logging
import TernAPI
import TernAuth
import TernCache
import TernDatabase
import TernJobs

/// The rules of user accounts: who may see, change and delete whom; unique emails; hashed passwords.
struct UserService: Sendable {
    let session: DatabaseSession
    let users: UserRepository
    let items: ItemRepository
    let attachments: AttachmentRepository
    let attachmentStore: AttachmentStore
    let sessions: Sessions
    let cache: Cache
    let hasher: PasswordHasher
    let mailer: any Mailer
    let jobs: JobQueue
    let logger: Logger

    func list(_ page: Pagination) async throws -> Page<User> {
        try await users.page(after: page.after, skip: page.skip, limit: page.limit, on: session)
    }

    /// A superuser creates an account, its email taken as verified; the user is emailed when the
    /// server can send mail.
    func create(_ input: UserCreate) async throws -> User {
        let user = try await insert(
            email: input.email, password: input.password, fullName: input.fullName, isActive: input.isActive,
            isSuperuser: input.isSuperuser, role: input.role, isVerified: true, taken: .emailAlreadyRegistered)
        if mailer.canSend {
            // In the same transaction: an account that was not stored gets no email, and one that
            // was gets it even if this process dies right after the commit.
            try await jobs.enqueue(SendNewAccountEmail(email: user.email), in: session)
        }
        return user
    }

    /// Someone signs up: an active, ordinary account, whose email a link then verifies.
    func register(_ input: UserRegister) async throws -> User {
        let user = try await insert(
            email: input.email, password: input.password, fullName: input.fullName, isActive: true, isSuperuser: false, role: .user,
            isVerified: false, taken: .emailAlreadyRegisteredOnSignup)
        try await requestVerification(of: user)
        return user
    }

    /// Enqueues the email that verifies the user's address, in the request's transaction, when the
    /// server can send mail.
    func requestVerification(of user: User) async throws {
        guard mailer.canSend else { return }
        try await jobs.enqueue(SendVerificationEmail(userId: user.id), in: session)
    }

    /// The development-only route: no checks beyond the database's.
    func createUnchecked(_ input: PrivateUserCreate) async throws -> User {
        let user = User(id: UUID(), email: input.email, isActive: true, isSuperuser: false, fullName: input.fullName, createdAt: Date())
        return try await users.insert(user, hashedPassword: try await hasher.hash(input.password), on: session)
    }

    /// A user reads an account: their own, or any if they are a superuser whose credential was
    /// granted `users:manage`.
    func read(id: UUID, by current: some Credential) async throws -> User {
        if id == current.user.id { return current.user }
        guard current.user.isSuperuser, current.may(.usersManage) else { throw UserError.insufficientPrivileges }
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
            fullName: changes.fullName.value, hashedPassword: newHash, role: changes.role.value ?? nil)
        let user = try await save(id: id, update, missing: .notFoundForUpdate)
        // A password set by someone else, or a deactivation: every session of the account ends.
        if newHash != nil || update.isActive == false { try await sessions.revokeAll(of: id, on: session) }
        return user
    }

    /// Users change their own name and email; a new email is unverified until its link is opened.
    func update(_ current: User, with changes: UserUpdateMe) async throws -> User {
        let email = changes.email.value ?? nil
        let newEmail = email.map { $0.lowercased() != current.email.lowercased() } ?? false
        let user = try await save(
            id: current.id, UserRepository.Changes(email: email, fullName: changes.fullName.value, isVerified: newEmail ? false : nil),
            missing: .notFound)
        if newEmail { try await requestVerification(of: user) }
        return user
    }

    /// Users change their password, proving they know the current one (wrong guesses count as
    /// failed logins, so a stolen access token cannot try passwords here). Their other sessions end;
    /// the one that made the change (`currentSession`) goes on.
    func changePassword(
        of current: User, in currentSession: UUID?, _ change: UpdatePassword, confirmedBy confirmation: PasswordConfirmation
    ) async throws {
        try await confirmation.confirm(change.currentPassword, of: current)
        guard change.currentPassword != change.newPassword else { throw UserError.newPasswordSameAsCurrent }
        try await users.updatePassword(id: current.id, hashedPassword: try await hasher.hash(change.newPassword), on: session)
        try await sessions.revokeAll(of: current.id, except: currentSession, on: session)
        await invalidateAfterCommit(user: current.id)
    }

    /// Users delete their own account, unless they are a superuser.
    func deleteSelf(_ current: User) async throws {
        guard !current.isSuperuser else { throw UserError.superuserCannotDeleteSelf }
        try await deleteWithItems(id: current.id)
    }

    /// A superuser deletes an account, never their own.
    func delete(id: UUID, by current: User) async throws {
        guard id != current.id else { throw UserError.superuserCannotDeleteSelf }
        guard try await deleteWithItems(id: id) else { throw UserError.notFound }
    }

    // MARK: Internals

    /// The user's items go with them (`ON DELETE CASCADE`), so their cached copies go too, and the
    /// files of their attachments.
    @discardableResult
    private func deleteWithItems(id: UUID) async throws -> Bool {
        let itemIDs = try await items.ids(owner: id, on: session)
        let attachmentIDs = try await attachments.ids(owner: id, on: session)
        guard try await users.delete(id: id, on: session) else { return false }
        await invalidateAfterCommit(user: id, items: itemIDs)
        if !attachmentIDs.isEmpty { await session.afterCommit { [attachmentStore] in await attachmentStore.remove(attachmentIDs) } }
        return true
    }

    /// Cached copies go once the change is stored: before, a concurrent read could cache the old
    /// row again; after a rollback, nothing changed.
    private func invalidateAfterCommit(user: UUID, items: [UUID] = []) async {
        await session.afterCommit { [cache] in
            await cache.invalidate([CacheKeys.user(user)] + items.map(CacheKeys.item))
        }
    }

    private func insert(
        email: String, password: String, fullName: String?, isActive: Bool, isSuperuser: Bool, role: Role, isVerified: Bool,
        taken: UserError
    ) async throws -> User {
        // Hash before the first statement: the unit of work should not be open while hashing.
        let hashedPassword = try await hasher.hash(password)
        let user = User(
            id: UUID(), email: email, isActive: isActive, isSuperuser: isSuperuser, fullName: fullName, createdAt: Date(), role: role,
            isVerified: isVerified)
        // The unique index on email is the check: one statement, and no race between a look-up and the insert.
        do {
            return try await users.insert(user, hashedPassword: hashedPassword, on: session)
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
        await invalidateAfterCommit(user: id)
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
