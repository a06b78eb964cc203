/// One header field of a rendered message, folded (RFC 5322 §2.2.3): its words are joined by spaces,
/// and a line that would pass 78 characters goes on on the next, after CRLF and a space.
///
/// Values come from callers, so the constructors refuse a line break in any of them: a subject such
/// as `"Hi\r\nBcc: victim@example.com"` would otherwise add a header (header injection).
struct HeaderField {
    /// The line length RFC 5322 recommends; a single longer word (an address) gets a line of its own.
    static let lineLength = 78
    /// Plain text with a word longer than this is encoded instead, so that every line stays short.
    static let longestPlainWord = 60

    let name: String
    let words: [String]

    init(_ name: String, words: [String]) {
        self.name = name
        self.words = words
    }

    /// A field whose value is known to be plain ASCII (a date, a content type).
    init(_ name: String, _ value: String) {
        self.init(name, words: value.split(separator: " ").map(String.init))
    }

    /// `Name: words`, folded, without the final CRLF.
    var rendered: String {
        var lines = ["\(name):"]
        for word in words {
            let line = lines[lines.count - 1]
            // Never fold before an empty word: a line of white space only is not allowed.
            if line.count + 1 + word.count > Self.lineLength && line != "\(name):" && !word.isEmpty {
                lines.append(" " + word)
            } else {
                lines[lines.count - 1] = line + " " + word
            }
        }
        return lines.joined(separator: "\r\n")
    }
}

extension HeaderField {
    /// Unstructured text (`Subject`): as it is when it is plain ASCII, in encoded words otherwise.
    static func text(_ name: String, _ value: String) throws(MailError) -> HeaderField {
        try refuseLineBreaks(value, in: name)
        return HeaderField(name, words: phrase(value))
    }

    /// A list of mailboxes (`From`, `To`, `Reply-To`): `"Name" <address>` or a bare address, comma
    /// separated.
    static func mailboxes(_ name: String, _ mailboxes: [MailAddress]) throws(MailError) -> HeaderField {
        var words: [String] = []
        for (index, mailbox) in mailboxes.enumerated() {
            var mailboxWords = try self.mailbox(mailbox, in: name)
            if index < mailboxes.count - 1 { mailboxWords[mailboxWords.count - 1] += "," }
            words += mailboxWords
        }
        return HeaderField(name, words: words)
    }

    private static func mailbox(_ mailbox: MailAddress, in field: String) throws(MailError) -> [String] {
        try validate(address: mailbox.address, in: field)
        guard let name = mailbox.name, !name.isEmpty else { return [mailbox.address] }
        try refuseLineBreaks(name, in: "\(field) display name")
        if EncodedWord.isPlain(name) && name.count <= longestPlainWord {
            let escaped = name.replacing("\\", with: "\\\\").replacing("\"", with: "\\\"")
            return ["\"\(escaped)\"", "<\(mailbox.address)>"]
        }
        return EncodedWord.encode(name) + ["<\(mailbox.address)>"]
    }

    /// Text as words for a header: split at its spaces when plain, encoded words otherwise.
    private static func phrase(_ text: String) -> [String] {
        let words = text.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
        if EncodedWord.isPlain(text) && words.allSatisfy({ $0.count <= longestPlainWord }) { return words }
        return EncodedWord.encode(text)
    }

    /// Refuses CR and LF, which end a header line, and NUL, which no header may hold.
    static func refuseLineBreaks(_ value: String, in field: String) throws(MailError) {
        guard value.utf8.contains(where: { $0 == 0x0d || $0 == 0x0a || $0 == 0 }) else { return }
        throw MailError(.invalidMessage, "the \(field) contains a line break (CR or LF) or NUL, which could inject headers")
    }

    /// An address: `local@domain`, printable ASCII without spaces or the characters that delimit
    /// addresses in a header, at most 254 characters (RFC 5321).
    static func validate(address: String, in field: String) throws(MailError) {
        try refuseLineBreaks(address, in: "\(field) address")
        let delimiters = Set("<>()[],;:\\\"".utf8)
        let parts = address.split(separator: "@", omittingEmptySubsequences: false)
        guard address.utf8.count <= 254, parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty,
            address.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7f && !delimiters.contains($0) })
        else {
            throw MailError(.invalidMessage, "the \(field) address \"\(address)\" is not a plain user@domain address")
        }
    }
}
