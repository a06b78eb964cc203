/// An email to send.
struct OutgoingEmail: Sendable, Equatable {
    var to: String
    var subject: String
    var html: String
}

/// Sends emails. The template ships without a mail transport: ``UnconfiguredMailer`` refuses, which
/// the API reports as 503 where sending is the point (`/utils/test-email/`) and logs where it is a
/// side effect (password recovery). Plug an SMTP or provider client in behind this protocol.
protocol Mailer: Sendable {
    func send(_ email: OutgoingEmail) async throws
}

/// The mailer of a server with no mail transport: every send fails with ``EmailError/notConfigured``.
struct UnconfiguredMailer: Mailer {
    func send(_ email: OutgoingEmail) async throws {
        throw EmailError.notConfigured
    }
}
