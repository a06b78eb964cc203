/// An email to send.
struct OutgoingEmail: Sendable, Equatable {
    var to: String
    var subject: String
    var html: String
    var text: String
}

/// Sends emails: over SMTP (``SMTPTransport``) when `SMTP_HOST` and `EMAILS_FROM_EMAIL` are set, to
/// the development outbox folder (``OutboxMailer``), or nowhere (``UnconfiguredMailer``, which the
/// API reports as 503 where sending is the point: `/utils/test-email/`). Only the worker calls it: the
/// API enqueues email jobs.
protocol Mailer: Sendable {
    /// Whether emails can go out at all; the API enqueues no email job when they cannot.
    var canSend: Bool { get }
    func send(_ email: OutgoingEmail) async throws
}

extension Mailer {
    var canSend: Bool { true }
}

/// The mailer of a server with no mail transport: every send fails with ``EmailError/notConfigured``.
struct UnconfiguredMailer: Mailer {
    var canSend: Bool { false }

    func send(_ email: OutgoingEmail) async throws {
        throw EmailError.notConfigured
    }
}
