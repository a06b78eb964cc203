import TernJobs

/// Emails sent on request, rather than as a side effect of another action.
struct EmailService: Sendable {
    let mailer: any Mailer
    let jobs: JobQueue

    /// Enqueues the test email to `address` for the worker; fails with ``EmailError/notConfigured``
    /// when the server has no mail transport.
    func sendTestEmail(to address: String) async throws {
        guard mailer.canSend else { throw EmailError.notConfigured }
        try await jobs.enqueue(SendTestEmail(email: address))
    }
}
