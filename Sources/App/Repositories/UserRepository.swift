import Foundation
import TernDatabase

/// The SQL of users: every statement on the `"user"` table, and nothing else.
struct UserRepository: Sendable {
    private static let columns: SQL = "id, email, is_active, is_superuser, full_name, hashed_password, created_at"

    func find(id: UUID, on database: some Queryable) async throws -> User? {
        try await database.queryFirst(#"SELECT \#(Self.columns) FROM "user" WHERE id = \#(id)"#, as: User.self)
    }

    func find(email: String, on database: some Queryable) async throws -> User? {
        try await database.queryFirst(#"SELECT \#(Self.columns) FROM "user" WHERE email = \#(email)"#, as: User.self)
    }

    /// A page of users, newest first, with the total count, in one statement (as items do).
    func page(skip: Int, limit: Int, on database: some Queryable) async throws -> (users: [User], count: Int) {
        let result = try await database.query(
            #"""
            SELECT \#(Self.columns), count(*) OVER () AS total_count FROM "user"
            ORDER BY created_at DESC NULLS FIRST, id LIMIT \#(limit) OFFSET \#(skip)
            """#)
        let users = try result.decode(User.self)
        if let total = result.rows.first?["total_count"].flatMap(Int.init(databaseValue:)) { return (users, total) }
        return (users, skip == 0 ? 0 : try await count(on: database))
    }

    func count(on database: some Queryable) async throws -> Int {
        try await database.queryFirst(#"SELECT count(*) FROM "user""#, as: Int.self) ?? 0
    }

    func insert(_ user: User, on database: some Queryable) async throws -> User {
        let inserted = try await database.queryFirst(
            #"""
            INSERT INTO "user" (id, email, is_active, is_superuser, full_name, hashed_password, created_at)
            VALUES (\#(user.id), \#(user.email), \#(user.isActive), \#(user.isSuperuser), \#(user.fullName),
                    \#(user.hashedPassword), \#(user.createdAt))
            RETURNING \#(Self.columns)
            """#, as: User.self)
        return inserted ?? user
    }

    /// Writes every changeable column of `user`.
    func update(_ user: User, on database: some Queryable) async throws -> User {
        let updated = try await database.queryFirst(
            #"""
            UPDATE "user" SET email = \#(user.email), is_active = \#(user.isActive), is_superuser = \#(user.isSuperuser),
                full_name = \#(user.fullName), hashed_password = \#(user.hashedPassword)
            WHERE id = \#(user.id)
            RETURNING \#(Self.columns)
            """#, as: User.self)
        return updated ?? user
    }

    func updatePassword(id: UUID, hashedPassword: String, on database: some Queryable) async throws {
        try await database.execute(#"UPDATE "user" SET hashed_password = \#(hashedPassword) WHERE id = \#(id)"#)
    }

    /// Deletes the user; their items go with them (`ON DELETE CASCADE`).
    func delete(id: UUID, on database: some Queryable) async throws {
        try await database.execute(#"DELETE FROM "user" WHERE id = \#(id)"#)
    }
}
