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
    /// Whether emails can go out at all; side-effect emails (a new account's) are skipped when not.
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
