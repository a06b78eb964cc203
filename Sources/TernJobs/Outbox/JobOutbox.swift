import Logging
import Synchronization
import TernDatabase

/// Jobs enqueued in a database transaction for a queue outside the database (Redis): each is written
/// to `tern_job_outbox` in the caller's transaction, and an ``OutboxRelay`` moves committed rows to
/// the queue. A rolled-back transaction leaves no row, so nothing runs; a committed one leaves a row
/// that stays until the queue accepted the job, so nothing is lost (a relay that dies between the two
/// sends the job again: at least once).
public final class JobOutbox: Sendable {
    public static let notificationChannel = "tern_job_outbox"

    let database: Database
    let wake = WakeSignal()

    public init(database: Database) {
        self.database = database
    }

    /// Writes `jobs` in `transaction`; once it commits, the relays of every process are woken (on
    /// PostgreSQL by a `NOTIFY` in the same statement, and in this process directly).
    public func stage(_ jobs: [JobEnvelope], in transaction: any Queryable) async throws {
        guard !jobs.isEmpty else { return }
        let values = SQL.joined(jobs.map { "(\($0.encoded()))" }, separator: ", ")
        let insert: SQL = "INSERT INTO tern_job_outbox (envelope) VALUES \(values)"
        switch transaction.dialect {
        case .postgres:
            _ = try await transaction.query(
                "WITH staged AS (\(insert) RETURNING seq) SELECT pg_notify(\(Self.notificationChannel), '') FROM staged")
        case .sqlite:
            try await transaction.execute(insert)
        }
        if let session = transaction as? DatabaseSession {
            await session.afterCommit { [wake] in wake.signal() }
        }
    }

    /// Moves up to `limit` staged jobs, oldest first, to `backend`; their number. Relays take turns
    /// (the rows are locked until the transaction ends), so jobs reach the queue in commit order.
    /// A row is deleted only after `backend` accepted its job, and only that row.
    public func relay(to backend: any JobBackend, limit: Int = 500, logger: Logger) async throws -> Int {
        try await database.transaction { transaction in
            let lock: SQL = transaction.dialect == .postgres ? " FOR UPDATE" : ""
            let rows = try await transaction.query(
                "SELECT seq, envelope FROM tern_job_outbox ORDER BY seq LIMIT \(limit)\(lock)", as: StagedJob.self)
            guard !rows.isEmpty else { return 0 }
            var jobs: [JobEnvelope] = []
            for row in rows {
                do {
                    jobs.append(try JobEnvelope.decode(row.envelope))
                } catch {
                    // Only a hand-edited row can get here; kept, it would block every job behind it.
                    logger.error("dropped an outbox row that is not a job", metadata: ["seq": "\(row.seq)", "error": "\(error)"])
                }
            }
            _ = try await backend.enqueue(jobs)
            try await transaction.execute(
                "DELETE FROM tern_job_outbox WHERE seq IN (\(JobTableSQL.elements(ofJSONIntegerArray: rows.map(\.seq), dialect: transaction.dialect)))"
            )
            return jobs.count
        }
    }

    private struct StagedJob: Decodable {
        let seq: Int64
        let envelope: String
    }
}
