import Foundation
import TernDatabase
import TernPrimitives

/// A user's live sessions (neither revoked nor expired), read by the statement that reads the user
/// rather than by a second one: a subquery that puts their ids on the user's row, as one column,
/// `live_session_ids` (PostgreSQL's array, `{id,id}`; SQLite's comma-separated list, `NULL` for none).
///
/// Each statement costs PostgreSQL and the app more than a subquery does: when every authenticated
/// request read its user and their sessions as two statements in one round trip, an item read was
/// 1.25× slower (Benchmarks/README.md, "One statement for the user and their sessions"). One row
/// whatever the number of sessions, where a join would repeat the user's columns on a row each.
///
/// ```swift
/// let live = sessions.liveSessionsColumn(of: #""user".id"#, dialect: database.dialect)
/// let sql: SQL = #"SELECT email, \#(live.column) FROM "user" WHERE id = \#(id)"#
/// let ids = try live.sessions(in: try await database.query(sql), of: sql)
/// ```
public struct LiveSessionsColumn: Sendable {
    /// The select-list entry.
    public let column: SQL

    init(column: SQL) {
        self.column = column
    }

    /// The session ids on the first row of a result of the statement (`sql`, which a decoding
    /// error names); none when there is no row.
    public func sessions(in result: QueryResult, of sql: SQL) throws -> [UUID] {
        guard var ids = try result.decodeFirst(LiveSessionIDs.self, of: sql)?.liveSessionIds else { return [] }
        // The database wrote every id, so each parses; one that did not would only refuse its
        // session's tokens. Parsed from the bytes: a `String` per id would be made only to be read.
        return ids.withUTF8 { bytes in
            bytes.split { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "{") || $0 == UInt8(ascii: "}") }
                .compactMap { UUID(canonicalUTF8: UnsafeBufferPointer(rebasing: $0)) }
        }
    }

    private struct LiveSessionIDs: Decodable {
        let liveSessionIds: String?
    }
}
