import Foundation
import TestSupport
import Testing

@testable import TernMail

/// Texts that stress the encodings: long lines and words, trailing white space, `=`, leading dots,
/// every kind of line break, and characters of one to four UTF-8 bytes.
private let awkwardTexts = [
    "Hello, world.",
    String(repeating: "a", count: 200),
    String(repeating: "é", count: 100) + "\n" + String(repeating: "🦅", count: 40),
    "trailing space \nand tab\t\r\n=3D is not an escape; a = b\r.dot\n.\n..two",
    "line\r\n\r\nafter a blank line\n\n\n",
    String(repeating: "word ", count: 40) + String(repeating: "x", count: 75) + "=",
]

@Suite("MIME rendering")
struct MIMEMessageTests {
    @Test("7-bit, no line over 78 characters (76 in bodies), both parts decode to the original", arguments: awkwardTexts)
    func roundTrip(_ text: String) throws {
        let message = MailMessage(
            from: MailAddress("noreply@example.com", name: "Tërn"), to: "user@example.org", subject: "Bodies", html: "<p>\(text)</p>",
            text: text)
        let bytes = try MIMEMessage(message).bytes
        #expect(bytes.allSatisfy { $0 < 0x80 })
        let mail = try ReceivedMail(bytes)
        for line in mail.lines { #expect(line.utf8.count <= 78, "\(line)") }
        for line in mail.rawBody.split(separator: "\r\n") {
            #expect(line.utf8.count <= 76, "\(line)")
            #expect(line.last != " " && line.last != "\t", "white space at the end of \(line)")
        }
        let parts = try mail.parts()
        #expect(parts.map { $0.headers["content-type"] } == ["text/plain; charset=utf-8", "text/html; charset=utf-8"])
        #expect(parts.first?.text == crlf(text))
        #expect(parts.last?.text == crlf("<p>\(text)</p>"))
    }

    @Test(
        "a subject and display names without line breaks decode back exactly",
        arguments: awkwardTexts.filter { !$0.unicodeScalars.contains { $0 == "\n" || $0 == "\r" } })
    func headerRoundTrip(_ text: String) throws {
        let message = MailMessage(
            from: MailAddress("noreply@example.com", name: text),
            to: [
                MailAddress("zoe@example.org", name: "Zoë \"Z\""), MailAddress("joe@example.org", name: #"Joe "J" \ O'Brien"#),
                "b@example.org",
            ],
            replyTo: MailAddress("help@example.com", name: text), subject: text, html: "<p>x</p>")
        let mail = try ReceivedMail(try MIMEMessage(message).bytes)
        for line in mail.lines { #expect(line.utf8.count <= 78, "\(line)") }
        for word in mail.lines.flatMap({ $0.matches(of: /=\?[^?]+\?[BQ]\?[^?]*\?=/) }) { #expect(word.output.count <= 75) }
        #expect(mail.decoded("Subject") == text)
        #expect(mail.decoded("From") == "\(displayed(text)) <noreply@example.com>")
        #expect(mail.decoded("Reply-To") == "\(displayed(text)) <help@example.com>")
        #expect(mail.decoded("To") == #"Zoë "Z" <zoe@example.org>, "Joe \"J\" \\ O'Brien" <joe@example.org>, b@example.org"#)
    }

    @Test("plain ASCII stays readable; '=?' and non-ASCII are encoded")
    func encodingChoice() throws {
        let plain = try ReceivedMail(try MIMEMessage(sample(subject: "Reset your password")).bytes)
        #expect(plain.headers["subject"] == "Reset your password")
        let lookalike = try ReceivedMail(try MIMEMessage(sample(subject: "=?UTF-8?B?SGk=?=")).bytes)
        #expect(lookalike.headers["subject"]?.hasPrefix("=?UTF-8?B?PT9") == true)
        #expect(lookalike.decoded("Subject") == "=?UTF-8?B?SGk=?=")
        let accented = try ReceivedMail(try MIMEMessage(sample(subject: "Café")).bytes)
        #expect(accented.headers["subject"] == "=?UTF-8?B?Q2Fmw6k=?=")
    }

    @Test("Date, Message-ID at the sender's domain, MIME-Version; IDs and boundaries differ per message")
    func identity() throws {
        let date = Date(timeIntervalSince1970: 1_764_599_825)  // Mon, 01 Dec 2025 14:37:05 UTC
        let first = try MIMEMessage(sample(), date: date)
        let second = try MIMEMessage(sample(), date: date)
        let mail = try ReceivedMail(first.bytes)
        #expect(mail.headers["date"] == "Mon, 01 Dec 2025 14:37:05 +0000")
        #expect(mail.headers["mime-version"] == "1.0")
        #expect(mail.headers["message-id"] == first.messageID)
        #expect(first.messageID.wholeMatch(of: /<[0-9a-f]{32}@example\.com>/) != nil)
        #expect(first.messageID != second.messageID)
        #expect(mail.headers["content-type"] != (try ReceivedMail(second.bytes)).headers["content-type"])
    }

    @Test("without a text body the message is a single text/html part")
    func htmlOnly() throws {
        var message = sample()
        message.text = nil
        let mail = try ReceivedMail(try MIMEMessage(message).bytes)
        #expect(mail.headers["content-type"] == "text/html; charset=utf-8")
        #expect(try mail.parts().map(\.text) == ["<p>Hello</p>"])
    }

    @Test("a line break in any header value is refused, not stripped", arguments: InjectedField.allCases)
    func headerInjection(_ field: InjectedField) {
        var message = sample()
        field.inject("\r\nBcc: victim@example.net", into: &message)
        let error = #expect(throws: MailError.self) { try MIMEMessage(message) }
        #expect(error?.kind == .invalidMessage)
        #expect(error?.isTransient == false)
        #expect(error?.message.contains("line break") == true)
        for lineBreak in ["\n", "\r"] {
            var message = sample()
            field.inject(lineBreak, into: &message)
            #expect(throws: MailError.self) { try MIMEMessage(message) }
        }
    }

    @Test(
        "malformed addresses and a message without recipients are refused",
        arguments: ["no-at-sign", "a@b@c", "a b@c", "<a@b>", "@b", "a@", ""])
    func malformedAddress(_ address: String) {
        var message = sample()
        message.to = [MailAddress(address)]
        #expect(throws: MailError.self) { try MIMEMessage(message) }
        message.to = []
        #expect(throws: MailError(.invalidMessage, "the message has no recipient")) { try MIMEMessage(message) }
    }
}

/// A header value a test appends a line break to.
enum InjectedField: CaseIterable {
    case subject, fromName, toAddress, replyToName

    func inject(_ suffix: String, into message: inout MailMessage) {
        switch self {
        case .subject: message.subject += suffix
        case .fromName: message.from.name = "Tern" + suffix
        case .toAddress: message.to[0].address += suffix
        case .replyToName: message.replyTo = MailAddress("help@example.com", name: "Help" + suffix)
        }
    }
}

/// A simple valid message.
func sample(subject: String = "Hello") -> MailMessage {
    MailMessage(from: "noreply@example.com", to: "user@example.org", subject: subject, html: "<p>Hello</p>", text: "Hello")
}

/// Text as quoted-printable delivers it: every line break CRLF.
func crlf(_ text: String) -> String {
    text.replacing("\r\n", with: "\n").replacing("\r", with: "\n").replacing("\n", with: "\r\n")
}

/// A display name as it reads once decoded: quoted when it was sent as a quoted string.
private func displayed(_ name: String) -> String {
    EncodedWord.isPlain(name) && name.count <= HeaderField.longestPlainWord ? "\"\(name)\"" : name
}
