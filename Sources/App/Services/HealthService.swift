import TernDatabase

/// Whether the service can do its work: what the readiness probe reports.
struct HealthService: Sendable {
    let database: Database

    /// Ready when the database answers a trivial query through the pool.
    func readiness() async throws -> Readiness {
        do {
            try await database.ping()
        } catch {
            throw HealthError.databaseUnavailable
        }
        return Readiness(status: "ready", database: "ok")
    }
}
