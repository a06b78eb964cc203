import Foundation
import TernPrimitives

/// A ``MailMessage`` rendered for the wire: RFC 5322 headers and a MIME body in quoted-printable
/// UTF-8, 7-bit ASCII with CRLF line ends and no line over 78 characters (76 in the body).
///
/// The `Message-ID` and the multipart boundary are random; the boundary starts with `=_`, which
/// quoted-printable output can never contain, so no body line can be mistaken for it.
struct MIMEMessage {
    /// `<32 hex digits@sender.domain>`.
    let messageID: String
    /// The message, ready for the SMTP `DATA` command (libcurl does the dot-stuffing).
    let bytes: [UInt8]

    /// Renders `message`, or fails with ``MailError/Kind/invalidMessage`` before anything is sent.
    init(_ message: MailMessage, date: Date = Date()) throws(MailError) {
        guard !message.to.isEmpty else { throw MailError(.invalidMessage, "the message has no recipient") }
        let from = try HeaderField.mailboxes("From", [message.from])
        messageID = "<\(Self.randomHex())@\(message.from.domain)>"
        var headers = [HeaderField("Date", date.mailHeaderText), HeaderField("Message-ID", messageID), from]
        headers.append(try .mailboxes("To", message.to))
        if let replyTo = message.replyTo { headers.append(try .mailboxes("Reply-To", [replyTo])) }
        headers.append(try .text("Subject", message.subject))
        headers.append(HeaderField("MIME-Version", "1.0"))
        let body: String
        if let text = message.text {
            let boundary = "=_tern_\(Self.randomHex())"
            headers.append(HeaderField("Content-Type", "multipart/alternative; boundary=\"\(boundary)\""))
            body = Self.multipart([Self.part("text/plain", text), Self.part("text/html", message.html)], boundary: boundary)
        } else {
            headers += Self.partHeaders("text/html")
            body = QuotedPrintable.encode(message.html)
        }
        let rendered = headers.map(\.rendered).joined(separator: "\r\n") + "\r\n\r\n" + body + "\r\n"
        bytes = Array(rendered.utf8)
    }

    private static func partHeaders(_ type: String) -> [HeaderField] {
        [HeaderField("Content-Type", "\(type); charset=utf-8"), HeaderField("Content-Transfer-Encoding", "quoted-printable")]
    }

    /// A body part: its headers, a blank line, its encoded content.
    private static func part(_ type: String, _ content: String) -> String {
        partHeaders(type).map(\.rendered).joined(separator: "\r\n") + "\r\n\r\n" + QuotedPrintable.encode(content)
    }

    private static func multipart(_ parts: [String], boundary: String) -> String {
        parts.map { "--\(boundary)\r\n\($0)\r\n" }.joined() + "--\(boundary)--"
    }

    /// 128 random bits in hexadecimal: unique enough for message IDs and boundaries.
    private static func randomHex() -> String {
        (0..<16).map { _ in UInt8.random(in: .min ... .max) }.lowercaseHex
    }
}
