/// An email to send: an HTML body with an optional plain-text alternative, from one sender to one or
/// more recipients.
///
/// Every recipient is on the `To` line and in the SMTP envelope; there is no Cc or Bcc. Without a
/// ``text`` body the message is a single `text/html` part; with one, the two are sent as
/// `multipart/alternative` and the reader's client picks.
public struct MailMessage: Sendable, Hashable {
    public var from: MailAddress
    public var to: [MailAddress]
    /// Where replies go, when not to ``from`` (a `noreply@` sender with a support address here).
    public var replyTo: MailAddress?
    public var subject: String
    public var html: String
    public var text: String?

    public init(
        from: MailAddress, to: [MailAddress], replyTo: MailAddress? = nil, subject: String, html: String, text: String? = nil
    ) {
        self.from = from
        self.to = to
        self.replyTo = replyTo
        self.subject = subject
        self.html = html
        self.text = text
    }

    /// A message to a single recipient.
    public init(
        from: MailAddress, to: MailAddress, replyTo: MailAddress? = nil, subject: String, html: String, text: String? = nil
    ) {
        self.init(from: from, to: [to], replyTo: replyTo, subject: subject, html: html, text: text)
    }
}
