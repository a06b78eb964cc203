import Logging
import TernDatabase
import TernPrimitives

extension JobContext {
    /// Runs `effect` at most once for `key` (by default this job's id), however often the job is
    /// delivered: the key is recorded in `tern_job_effect` in the same transaction as the effect, so
    /// either both are stored or neither. Returns `nil` when the key was already recorded.
    ///
    /// Delivery is at least once (a worker may die after the effect, before the acknowledgement);
    /// with this, the effect happens exactly once for effects in the database.
    public func once<T: Sendable>(
        key: String? = nil, in database: Database, _ effect: (Transaction) async throws -> T
    ) async throws -> T? {
        let key = key ?? "job:\(jobID)"
        return try await database.transaction { transaction in
            let recorded = try await transaction.execute(
                "INSERT INTO tern_job_effect (key, recorded_at) VALUES (\(key), \(currentMilliseconds())) ON CONFLICT DO NOTHING")
            guard recorded == 1 else {
                logger.info("effect already applied; skipped", metadata: ["idempotency_key": "\(key)"])
                return nil
            }
            return try await effect(transaction)
        }
    }
}
