/// Emails sent on request, rather than as a side effect of another action.
struct EmailService: Sendable {
    let mailer: any Mailer
    let settings: Settings

    /// Sends the test email to `address`; fails with ``EmailError/notConfigured`` when the server
    /// has no mail transport.
    func sendTestEmail(to address: String) async throws {
        let email = EmailTemplates.test(projectName: settings.projectName, email: address)
        try await mailer.send(OutgoingEmail(to: address, subject: email.subject, html: email.html))
    }
}
