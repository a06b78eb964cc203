/// Why an email was not sent, classified so that a job queue can decide whether to try again
/// (``isTransient``) without parsing messages.
///
/// The text never contains the SMTP password: it is the server's or libcurl's explanation, with the
/// password masked should it ever appear in one.
public struct MailError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong, as far as callers need to tell cases apart.
    public enum Kind: Sendable, Hashable {
        /// The message cannot be sent as it is: no recipient, a malformed address, a line break in a
        /// header value (which would let it inject headers). Found before any connection is made.
        case invalidMessage
        /// The server could not be reached, or the connection broke during the transaction.
        case connectionFailed
        /// The connection or the whole transaction took longer than the configured timeouts.
        case timeout
        /// TLS failed: the server offers no STARTTLS although it is required, a certificate does not
        /// verify, or the handshake failed.
        case tlsFailed
        /// The server refused the credentials (or offered no mechanism libcurl can use).
        case authenticationFailed
        /// The server refused the sender, a recipient or the message with an SMTP reply
        /// (``MailError/replyCode``): `550` mailbox unavailable, `451` try again later.
        case rejected
        /// The sending task was cancelled before the transaction started; nothing was sent.
        case cancelled
        /// Anything else: a malformed server URL, a libcurl without SMTP support.
        case other
    }

    /// The classification.
    public let kind: Kind
    /// A human-readable explanation, without credentials.
    public let message: String
    /// The server's last SMTP reply code, when it had answered with an error (`550`, `451`, `535`).
    public let replyCode: Int?

    /// Creates an error; the mailer does this, applications rarely need to.
    public init(_ kind: Kind, _ message: String, replyCode: Int? = nil) {
        self.kind = kind
        self.message = message
        self.replyCode = replyCode
    }

    /// Whether sending the same message later may succeed: connection failures, timeouts, a
    /// cancelled send, and any `4xx` reply (SMTP's "transient negative completion", such as `451`
    /// or `454` temporary authentication failure). A `5xx` reply, wrong credentials, TLS failures and
    /// invalid messages are permanent: retrying repeats them until someone changes the configuration
    /// or the message.
    public var isTransient: Bool {
        if let replyCode, (400..<500).contains(replyCode) { return true }
        switch kind {
        case .connectionFailed, .timeout, .cancelled: return true
        case .invalidMessage, .tlsFailed, .authenticationFailed, .rejected, .other: return false
        }
    }

    public var description: String {
        var text = "mail not sent (\(kind)"
        if let replyCode { text += ", SMTP \(replyCode)" }
        return text + "): \(message)"
    }
}
