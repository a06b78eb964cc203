import TernMail

/// Sends emails over SMTP with the `SMTP_*` and `EMAILS_FROM_*` settings (through libcurl: see
/// ``TernMail/SMTPMailer``).
struct SMTPTransport: Mailer {
    let mailer: SMTPMailer
    let from: MailAddress

    init(settings: Settings.EmailSettings, host: String, fromEmail: String) {
        mailer = SMTPMailer(
            configuration: SMTPConfiguration(
                host: host, port: settings.smtpPort, username: settings.smtpUser, password: settings.smtpPassword,
                startTLS: settings.smtpTLS, implicitTLS: settings.smtpSSL))
        from = MailAddress(fromEmail, name: settings.fromName)
    }

    func send(_ email: OutgoingEmail) async throws {
        try await mailer.send(
            MailMessage(from: from, to: [MailAddress(email.to)], subject: email.subject, html: email.html, text: email.text))
    }
}
