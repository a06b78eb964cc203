import Foundation
import TernDatabase

/// A user's live sessions (neither revoked nor expired), read by the statement that reads the user
/// rather than by a second one: a `LEFT JOIN` that gives the user's row once per live session, each
/// with that session's id in the column `live_session_id` (`NULL`, on a single row, when there is
/// none).
///
/// Each statement costs PostgreSQL and the app more than a join does: when every authenticated
/// request read its user and their sessions as two statements in one round trip, an item read was
/// 1.3× slower (Benchmarks/README.md, "One statement for the user and their sessions").
///
/// ```swift
/// let live = sessions.liveSessionsJoin(on: #""user".id"#)
/// let sql: SQL = #"SELECT email, \#(live.column) FROM "user" \#(live.join) WHERE id = \#(id)"#
/// let result = try await database.query(sql)
/// let ids = try live.sessions(in: result, of: sql)
/// ```
public struct LiveSessionsJoin: Sendable {
    /// The select-list entry: a live session's id.
    public let column: SQL = "live_session_id"
    /// The join, to follow the table whose user id it was made with. Its own columns are named so
    /// that they clash with no other table's.
    public let join: SQL

    init(join: SQL) {
        self.join = join
    }

    /// The ids of the live sessions in a result of the statement (`sql`, which a decoding error names).
    public func sessions(in result: QueryResult, of sql: SQL) throws -> [UUID] {
        try result.decode(LiveSession.self, of: sql).compactMap(\.liveSessionId)
    }

    private struct LiveSession: Decodable {
        let liveSessionId: UUID?
    }
}
