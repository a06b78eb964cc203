import Foundation
import TernDatabase

/// SQL shared by the database backend and the outbox: the columns of a job, and a list of ids passed
/// as one JSON parameter (``DatabaseValue`` has no arrays, and one statement text for any number of
/// ids keeps the prepared-statement cache small).
enum JobTableSQL {
    static let columns: SQL = """
        id, name, queue, priority, payload, attempt, max_attempts, timeout_ms, unique_key, run_at, enqueued_at, last_error
        """

    /// Membership in the texts of a JSON array parameter, after a column: `id \(isOneOf(ids, ...))`.
    ///
    /// On PostgreSQL `= ANY (ARRAY(...))`: the array is made once, then the rows are found through
    /// the column's index whatever the planner believes of the table. With `IN (SELECT ...)` it could
    /// pick a hash join over a scan of the whole table (its statistics taken while the table was
    /// nearly empty), and acknowledging 64 jobs read every row of the backlog.
    static func isOneOf(_ strings: [String], dialect: SQLDialect) -> SQL {
        // Encoding strings cannot fail.
        let json = String(decoding: try! JSONEncoder().encode(strings), as: UTF8.self)
        switch dialect {
        case .postgres: return "= ANY (ARRAY(SELECT jsonb_array_elements_text(\(json)::jsonb)))"
        case .sqlite: return "IN (SELECT value FROM json_each(\(json)))"
        }
    }

    /// Membership in the integers of a JSON array parameter (see the other ``isOneOf(_:dialect:)``).
    static func isOneOf(_ integers: [Int64], dialect: SQLDialect) -> SQL {
        let json = "[" + integers.map(String.init).joined(separator: ",") + "]"
        switch dialect {
        case .postgres: return "= ANY (ARRAY(SELECT jsonb_array_elements_text(\(json)::jsonb)::bigint))"
        case .sqlite: return "IN (SELECT value FROM json_each(\(json)))"
        }
    }

    /// A multi-row `VALUES` list of new jobs, in the order of ``columns`` plus `state` and `updated_at`.
    static func values(_ jobs: [JobEnvelope], now: Int64) -> SQL {
        SQL.joined(
            jobs.map { job in
                """
                (\(job.id), \(job.name), \(job.queue), \(job.priority), \(job.payload), \(job.attempt), \(job.maxAttempts), \
                \(job.timeoutMilliseconds), \(job.uniqueKey), \(job.runAt), \(job.enqueuedAt), \(job.lastError), 'queued', \(now))
                """
            }, separator: ", ")
    }
}
