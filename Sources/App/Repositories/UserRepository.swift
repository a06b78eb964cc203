import Foundation
import TernAuth
import TernDatabase

/// The SQL of users: every statement on the `"user"` table, and nothing else.
struct UserRepository: Sendable {
    /// The columns a ``User`` is written to.
    private static let columns: SQL = "id, email, is_active, is_superuser, full_name, created_at, role"
    /// What a ``User`` is read from.
    private static let selected: SQL = Self.columns + ", email_verified_at IS NOT NULL AS is_verified"

    func find(id: UUID, on database: some Queryable) async throws -> User? {
        try await database.query(together: find(id: id))
    }

    /// The statement of ``find(id:on:)``, to run together with others in one round trip.
    func find(id: UUID) -> Statement<User?> {
        .first(#"SELECT \#(Self.selected) FROM "user" WHERE id = \#(id)"#, as: User.self)
    }

    /// The user with `id` and the ids of their live sessions, in one statement: what every
    /// authenticated request reads (``LiveSessionsColumn``).
    func find(id: UUID, withSessions sessions: LiveSessionsColumn) -> Statement<(user: User, sessions: [UUID])?> {
        let sql: SQL = #"SELECT \#(Self.selected), \#(sessions.column) FROM "user" WHERE id = \#(id)"#
        return Statement(sql) { result in
            guard let user = try result.decodeFirst(User.self, of: sql) else { return nil }
            return (user, try sessions.sessions(in: result, of: sql))
        }
    }

    /// The user with this email, compared without regard to case (as the unique index on
    /// `lower(email)` compares them); the email is stored as it was given.
    func find(email: String, on database: some Queryable) async throws -> User? {
        try await database.queryFirst(
            #"SELECT \#(Self.selected) FROM "user" WHERE lower(email) = lower(\#(email))"#, as: User.self)
    }

    /// The user with this email (as ``find(email:on:)`` matches it) and their password hash, to log in.
    func credentials(email: String, on database: some Queryable) async throws -> UserCredentials? {
        try await database.queryFirst(
            #"SELECT \#(Self.selected), hashed_password FROM "user" WHERE lower(email) = lower(\#(email))"#,
            as: UserCredentials.self)
    }

    /// The user's password hash, to check their current password.
    func passwordHash(id: UUID, on database: some Queryable) async throws -> String? {
        try await database.queryFirst(#"SELECT hashed_password FROM "user" WHERE id = \#(id)"#, as: String.self)
    }

    /// A page of users, newest first, with the total count: `skip` rows in, or after `position`.
    func page(after position: PagePosition?, skip: Int, limit: Int, on database: some Queryable) async throws -> Page<User> {
        try await database.queryPage(Self.selected, from: #""user""#, filter: nil, after: position, skip: skip, limit: limit, as: User.self)
    }

    func insert(_ user: User, hashedPassword: String, on database: some Queryable) async throws -> User {
        let inserted = try await database.queryFirst(
            #"""
            INSERT INTO "user" (\#(Self.columns), email_verified_at, hashed_password)
            VALUES (\#(user.id), \#(user.email), \#(user.isActive), \#(user.isSuperuser), \#(user.fullName),
                    \#(user.createdAt), \#(user.role.rawValue), \#(user.isVerified ? Date() : nil), \#(hashedPassword))
            RETURNING \#(Self.selected)
            """#, as: User.self)
        return inserted ?? user
    }

    /// Columns to change; `nil` leaves a column as it is (so concurrent changes to other columns
    /// are not overwritten with what was read before).
    struct Changes {
        var email: String?
        var isActive: Bool?
        var isSuperuser: Bool?
        var fullName: String??
        var hashedPassword: String?
        var role: Role?
        /// `false` forgets that the email was verified (it changed).
        var isVerified: Bool?
    }

    /// Writes the changed columns; `nil` when there is no such user.
    func update(id: UUID, _ changes: Changes, on database: some Queryable) async throws -> User? {
        var assignments: [SQL] = []
        if let email = changes.email { assignments.append("email = \(email)") }
        if let isActive = changes.isActive { assignments.append("is_active = \(isActive)") }
        if let isSuperuser = changes.isSuperuser { assignments.append("is_superuser = \(isSuperuser)") }
        if let fullName = changes.fullName { assignments.append("full_name = \(fullName)") }
        if let hashedPassword = changes.hashedPassword { assignments.append("hashed_password = \(hashedPassword)") }
        if let role = changes.role { assignments.append("role = \(role.rawValue)") }
        if let isVerified = changes.isVerified { assignments.append("email_verified_at = \(isVerified ? Date() : nil)") }
        guard !assignments.isEmpty else { return try await find(id: id, on: database) }
        return try await database.queryFirst(
            #"UPDATE "user" SET "# + SQL.joined(assignments, separator: ", ")
                + #" WHERE id = \#(id) RETURNING \#(Self.selected)"#, as: User.self)
    }

    func updatePassword(id: UUID, hashedPassword: String, on database: some Queryable) async throws {
        try await database.execute(#"UPDATE "user" SET hashed_password = \#(hashedPassword) WHERE id = \#(id)"#)
    }

    /// Replaces a password hash only if it is still `current`: a hash upgraded at login must not
    /// overwrite a password changed meanwhile. `false` when the stored hash had changed.
    @discardableResult
    func replacePasswordHash(id: UUID, current: String, with hashedPassword: String, on database: some Queryable) async throws -> Bool {
        try await database.execute(
            #"""
            UPDATE "user" SET hashed_password = \#(hashedPassword)
            WHERE id = \#(id) AND hashed_password = \#(current)
            """#) > 0
    }

    /// Deletes the user; their items go with them (`ON DELETE CASCADE`). `false` when there is no such user.
    @discardableResult
    func delete(id: UUID, on database: some Queryable) async throws -> Bool {
        try await database.execute(#"DELETE FROM "user" WHERE id = \#(id)"#) > 0
    }
}
