import Logging
import NIOPosix

/// Sends ``MailMessage``s to an SMTP server, through libcurl.
///
/// ```swift
/// let mailer = SMTPMailer(configuration: SMTPConfiguration(host: "smtp.example.com", username: "app", password: secret))
/// try await mailer.send(MailMessage(from: "noreply@example.com", to: "user@example.com", subject: "Hello", html: "<p>Hi</p>"))
/// ```
///
/// Each send opens its own connection (no pooling: simple, and mail is rarely sent in bursts), on a
/// thread of NIO's blocking pool (`NIOThreadPool.singleton`): libcurl's easy interface blocks, and must
/// never run on an event loop or a Swift concurrency thread. A send in progress is not cancellable;
/// ``SMTPConfiguration/timeout`` bounds it.
public struct SMTPMailer: Sendable {
    public let configuration: SMTPConfiguration
    private let logger: Logger

    public init(configuration: SMTPConfiguration, logger: Logger = Logger(label: "tern.mail")) {
        self.configuration = configuration
        self.logger = logger
    }

    /// Sends `message` to all its recipients, or to none: a refused recipient fails the whole send.
    /// An invalid message (a line break in a header value, a malformed address) fails before any
    /// connection is made.
    public func send(_ message: MailMessage) async throws(MailError) {
        let rendered = try MIMEMessage(message)
        let transfer = SMTPTransfer(
            configuration: configuration, sender: message.from.address, recipients: message.to.map(\.address), message: rendered.bytes)
        let reply = try await onBlockingThread { () throws(MailError) in try transfer.run() }
        logger.debug(
            "mail sent",
            metadata: ["message_id": "\(rendered.messageID)", "recipients": "\(message.to.count)", "smtp_reply": "\(reply)"])
    }

    /// Runs `body` on the blocking pool, its typed error passed through as it is.
    private func onBlockingThread<T: Sendable>(_ body: @escaping @Sendable () throws(MailError) -> T) async throws(MailError) -> T {
        let result: Result<T, MailError>
        do {
            result = try await NIOThreadPool.singleton.runIfActive { Result(catching: body) }
        } catch is CancellationError {
            throw MailError(.cancelled, "the send was cancelled before it started; nothing was sent")
        } catch {
            throw MailError(.other, "the blocking thread pool is unavailable: \(error)")
        }
        return try result.get()
    }
}
