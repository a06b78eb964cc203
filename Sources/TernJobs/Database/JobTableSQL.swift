import Foundation
import TernDatabase

/// SQL shared by the database backend and the outbox: the columns of a job, and a list of ids passed
/// as one JSON parameter (``DatabaseValue`` has no arrays, and one statement text for any number of
/// ids keeps the prepared-statement cache small).
enum JobTableSQL {
    static let columns: SQL = """
        id, name, queue, priority, payload, attempt, max_attempts, timeout_ms, unique_key, run_at, enqueued_at, last_error
        """

    /// `SELECT` of the texts in a JSON array parameter, for `IN (...)`.
    static func elements(ofJSONArray strings: [String], dialect: SQLDialect) -> SQL {
        // Encoding strings cannot fail.
        let json = String(decoding: try! JSONEncoder().encode(strings), as: UTF8.self)
        switch dialect {
        case .postgres: return "SELECT jsonb_array_elements_text(\(json)::jsonb)"
        case .sqlite: return "SELECT value FROM json_each(\(json))"
        }
    }

    /// `SELECT` of the integers in a JSON array parameter, for `IN (...)`.
    static func elements(ofJSONIntegerArray integers: [Int64], dialect: SQLDialect) -> SQL {
        let json = "[" + integers.map(String.init).joined(separator: ",") + "]"
        switch dialect {
        case .postgres: return "SELECT jsonb_array_elements_text(\(json)::jsonb)::bigint"
        case .sqlite: return "SELECT value FROM json_each(\(json))"
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
