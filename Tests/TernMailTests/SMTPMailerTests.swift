import Foundation
import TernMail
import TestSupport
import Testing

/// A mailer for `sink`: plain text on loopback (the sink has no TLS), short timeouts.
private func mailer(for sink: SMTPTestSink, username: String? = nil, password: String? = nil, startTLS: Bool = false) -> SMTPMailer {
    SMTPMailer(
        configuration: SMTPConfiguration(
            host: sink.host, port: sink.port, username: username, password: password, startTLS: startTLS, connectTimeout: .seconds(2),
            timeout: .seconds(20)))
}

/// Sends `message` and returns the error it failed with; records an issue if it was sent.
private func sendError(_ message: MailMessage, with mailer: SMTPMailer) async -> MailError? {
    do {
        try await mailer.send(message)
        Issue.record("the message was sent")
        return nil
    } catch {
        return error
    }
}

@Suite("SMTP mailer", .timeLimit(.minutes(2)))
struct SMTPMailerTests {
    @Test("a message with non-ASCII subject and names, text and HTML parts arrives intact, envelope and all")
    func roundTrip() async throws {
        try await SMTPTestSink.with { sink in
            let message = MailMessage(
                from: MailAddress("noreply@example.com", name: "Tërn Équipe 🦅"),
                to: [MailAddress("zoe@example.org", name: "Zoë"), "second@example.net"],
                replyTo: MailAddress("support@example.com", name: "Support"), subject: "Réinitialisez votre mot de passe — 🔑",
                html: "<p>Bonjour Zoë,</p>\n<p><a href=\"https://example.com/reset?token=abc=def\">Réinitialiser</a></p>",
                text: "Bonjour Zoë,\n\n.Suivez ce lien : https://example.com/reset?token=abc=def\n")
            try await mailer(for: sink).send(message)

            let received = try sink.messages()
            try #require(received.count == 1)
            #expect(received[0].mailFrom == "noreply@example.com")
            #expect(received[0].recipients == ["zoe@example.org", "second@example.net"])
            let mail = try ReceivedMail(received[0].data)
            #expect(mail.decoded("Subject") == message.subject)
            #expect(mail.decoded("From") == "Tërn Équipe 🦅 <noreply@example.com>")
            #expect(mail.decoded("To") == "Zoë <zoe@example.org>, second@example.net")
            #expect(mail.decoded("Reply-To") == "\"Support\" <support@example.com>")
            #expect(mail.headers["message-id"]?.hasSuffix("@example.com>") == true)
            #expect(mail.headers["content-type"]?.hasPrefix("multipart/alternative; boundary=") == true)
            let parts = try mail.parts()
            #expect(parts.map { $0.headers["content-type"] } == ["text/plain; charset=utf-8", "text/html; charset=utf-8"])
            #expect(parts.first?.text == crlf(message.text!))
            #expect(parts.last?.text == crlf(message.html))
        }
    }

    /// Wrong credentials fail as permanent: the server's 535 is a 5xx reply, and sending again with
    /// the same configuration is refused again until someone fixes the password.
    @Test("AUTH: the right credentials pass; wrong ones fail permanently, without the password in the error")
    func authentication() async throws {
        try await SMTPTestSink.with(user: "tern", password: "right-secret") { sink in
            try await mailer(for: sink, username: "tern", password: "right-secret").send(sample())
            #expect(try sink.messages().map(\.authenticatedUser) == ["tern"])

            let error = await sendError(sample(), with: mailer(for: sink, username: "tern", password: "wrong-Secret-42"))
            #expect(error?.kind == .authenticationFailed)
            #expect(error?.replyCode == 535)
            #expect(error?.isTransient == false)
            #expect(error.map { !"\($0)".contains("wrong-Secret-42") && !$0.message.contains("wrong-Secret-42") } == true)

            // No credentials where the server requires them: 530 to MAIL FROM, permanent too.
            let anonymous = await sendError(sample(), with: mailer(for: sink))
            #expect(anonymous?.replyCode == 530)
            #expect(anonymous?.isTransient == false)
            #expect(try sink.messages().count == 1)
        }
    }

    @Test("a refused recipient: 550 is permanent, 451 transient; either way no one gets the message")
    func refusedRecipients() async throws {
        try await SMTPTestSink.with { sink in
            var message = sample()
            message.to = ["reject-me@example.org"]
            let rejected = await sendError(message, with: mailer(for: sink))
            #expect(rejected?.kind == .rejected)
            #expect(rejected?.replyCode == 550)
            #expect(rejected?.isTransient == false)

            message.to = ["tempfail@example.org"]
            let deferred = await sendError(message, with: mailer(for: sink))
            #expect(deferred?.kind == .rejected)
            #expect(deferred?.replyCode == 451)
            #expect(deferred?.isTransient == true)

            message.to = ["accepted@example.org", "reject@example.org"]
            #expect(await sendError(message, with: mailer(for: sink))?.replyCode == 550)
            let received = try sink.messages()
            #expect(received.isEmpty)
        }
    }

    @Test("nothing listening: a transient connection error, at once")
    func nothingListening() async throws {
        try await SMTPTestSink.with { sink in
            try await sink.stop()
            let error = await sendError(sample(), with: mailer(for: sink))
            // Refused, not timed out: a wait for the connect timeout would end in `.timeout`.
            #expect(error?.kind == .connectionFailed)
            #expect(error?.isTransient == true)
            #expect(error?.message.contains("127.0.0.1") == true)
        }
    }

    @Test("a line break in the subject fails before any connection is made")
    func injectionBeforeConnecting() async throws {
        try await SMTPTestSink.with { sink in
            // Connecting would fail with connectionFailed: the sink is stopped.
            try await sink.stop()
            let error = await sendError(sample(subject: "Hello\r\nBcc: victim@example.net"), with: mailer(for: sink))
            #expect(error?.kind == .invalidMessage)
            #expect(error?.isTransient == false)
        }
    }

    @Test("STARTTLS required by the configuration but not offered: a permanent TLS error, nothing sent")
    func startTLSRequired() async throws {
        try await SMTPTestSink.with { sink in
            let error = await sendError(sample(), with: mailer(for: sink, startTLS: true))
            #expect(error?.kind == .tlsFailed)
            #expect(error?.isTransient == false)
            let received = try sink.messages()
            #expect(received.isEmpty)
        }
    }

    @Test("twenty sends at once all arrive, each once")
    func concurrentSends() async throws {
        try await SMTPTestSink.with { sink in
            let mailer = mailer(for: sink)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<20 {
                    group.addTask { try await mailer.send(sample(subject: "message \(index)")) }
                }
                try await group.waitForAll()
            }
            let subjects = try sink.messages().map { try ReceivedMail($0.data).decoded("Subject") }
            #expect(Set(subjects) == Set((0..<20).map { "message \($0)" }))
            #expect(subjects.count == 20)
        }
    }
}
