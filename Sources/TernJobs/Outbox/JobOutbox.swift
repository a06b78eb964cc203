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

    /// Moves up to `limit` staged jobs, oldest first, to `backend`; their number. A row is deleted only
    /// after `backend` accepted its job, and only that row (rows of transactions that commit later
    /// may have lower numbers).
    ///
    /// On PostgreSQL relays take turns (the rows stay locked until the transaction ends), so jobs
    /// reach the queue in commit order. On SQLite nothing is held while the queue is called: the
    /// single writer must not wait on Redis (several processes relaying one SQLite file may then send
    /// a job twice, which at-least-once delivery allows).
    public func relay(to backend: any JobBackend, limit: Int = 500, logger: Logger) async throws -> Int {
        // Most of the time there is nothing: find that out without a transaction.
        guard try await database.queryFirst("SELECT seq FROM tern_job_outbox ORDER BY seq LIMIT 1", as: Int64.self) != nil else {
            return 0
        }
        switch database.dialect {
        case .postgres:
            return try await database.transaction { transaction in
                try await relay(from: transaction, to: backend, limit: limit, lock: " FOR UPDATE", logger: logger)
            }
        case .sqlite:
            return try await relay(from: database, to: backend, limit: limit, lock: "", logger: logger)
        }
    }

    private func relay(
        from queryable: any Queryable, to backend: any JobBackend, limit: Int, lock: SQL, logger: Logger
    ) async throws -> Int {
        let rows = try await queryable.query(
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
        try await queryable.execute(
            "DELETE FROM tern_job_outbox WHERE seq \(JobTableSQL.isOneOf(rows.map(\.seq), dialect: queryable.dialect))"
        )
        return jobs.count
    }

    private struct StagedJob: Decodable {
        let seq: Int64
        let envelope: String
    }
}
