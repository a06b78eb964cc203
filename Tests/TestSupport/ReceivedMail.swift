import Foundation

/// A rendered or received message taken apart as a mail client would: unfolded headers, RFC 2047
/// words decoded, multipart bodies split and their transfer encodings undone.
///
/// Written apart from TernMail's renderer, after the RFCs, so that the tests compare the renderer's
/// output with the standards and not with itself; and so that the tests of the app can read what its
/// worker sent (the link in a password-recovery email) as a person's mail client would.
public struct ReceivedMail: Sendable {
    /// A body part (or the whole body of a single-part message): its headers and decoded text.
    public struct Part: Sendable {
        public let headers: [String: String]
        public let text: String
    }

    /// Header names in lowercase, values unfolded but not decoded.
    public let headers: [String: String]
    public let rawBody: String
    public let lines: [Substring]

    public init(_ data: [UInt8]) throws {
        let message = String(decoding: data, as: UTF8.self)
        guard let end = message.range(of: "\r\n\r\n") else { throw ParseError("no blank line after the headers") }
        headers = try Self.headers(message[..<end.lowerBound])
        // The CRLF that ends the last line ends the message; it is no part of a single part's text.
        let body = message[end.upperBound...]
        rawBody = String(body.hasSuffix("\r\n") ? body.dropLast() : body)
        lines = message.split(separator: "\r\n", omittingEmptySubsequences: false)
    }

    /// A header's value with its encoded words decoded.
    public func decoded(_ name: String) -> String? {
        headers[name.lowercased()].map(decodeEncodedWords)
    }

    /// The body parts: those of a multipart message, or the body itself as one part.
    public func parts() throws -> [Part] {
        guard let type = headers["content-type"], type.hasPrefix("multipart/") else {
            return [try Self.part(headers: headers, body: rawBody)]
        }
        guard let match = type.firstMatch(of: /boundary="([^"]+)"/) else { throw ParseError("no boundary in \(type)") }
        let delimiter = "\r\n--\(match.1)"
        guard let close = rawBody.range(of: delimiter + "--") else { throw ParseError("no closing boundary") }
        // What precedes the first delimiter is the preamble; a delimiter at the very start has no CRLF before it.
        let chunks = ("\r\n" + rawBody[..<close.lowerBound]).components(separatedBy: delimiter).dropFirst()
        return try chunks.map { chunk in
            guard chunk.hasPrefix("\r\n"), let end = chunk.range(of: "\r\n\r\n") else { throw ParseError("malformed part") }
            let partHeaders = try Self.headers(chunk[chunk.range(of: "\r\n")!.upperBound..<end.lowerBound])
            return try Self.part(headers: partHeaders, body: String(chunk[end.upperBound...]))
        }
    }

    private static func headers(_ block: Substring) throws -> [String: String] {
        var fields: [(String, String)] = []
        for line in block.split(separator: "\r\n") {
            if line.first == " " || line.first == "\t" {
                // Unfolding: the CRLF goes, the white space after it stays.
                guard !fields.isEmpty else { throw ParseError("a continuation line first") }
                fields[fields.count - 1].1 += line
            } else {
                guard let colon = line.firstIndex(of: ":") else { throw ParseError("not a header: \(line)") }
                fields.append((line[..<colon].lowercased(), String(line[line.index(after: colon)...])))
            }
        }
        return Dictionary(fields.map { ($0.0, $0.1.trimmingCharacters(in: .whitespaces)) }, uniquingKeysWith: { first, _ in first })
    }

    private static func part(headers: [String: String], body: String) throws -> Part {
        let bytes: [UInt8]
        switch headers["content-transfer-encoding"]?.lowercased() {
        case "quoted-printable": bytes = try decodeQuotedPrintable(body)
        case "base64":
            guard let data = Data(base64Encoded: body, options: .ignoreUnknownCharacters) else { throw ParseError("bad base64") }
            bytes = Array(data)
        default: bytes = Array(body.utf8)
        }
        guard let text = String(validating: bytes, as: UTF8.self) else { throw ParseError("a part is not UTF-8") }
        return Part(headers: headers, text: text)
    }
}

extension ReceivedMail {
    /// A message that cannot be taken apart.
    public struct ParseError: Error, CustomStringConvertible {
        public let description: String
        init(_ description: String) { self.description = description }
    }
}

/// RFC 2045 quoted-printable: soft line breaks dropped, `=XX` turned back into bytes.
func decodeQuotedPrintable(_ text: String) throws -> [UInt8] {
    let input = Array(text.replacing("=\r\n", with: "").utf8)
    var output: [UInt8] = []
    var index = 0
    while index < input.count {
        if input[index] == UInt8(ascii: "=") {
            guard index + 2 < input.count, let byte = UInt8(String(decoding: input[index + 1...index + 2], as: UTF8.self), radix: 16)
            else { throw ReceivedMail.ParseError("bad =XX escape") }
            output.append(byte)
            index += 3
        } else {
            output.append(input[index])
            index += 1
        }
    }
    return output
}

/// RFC 2047: each `=?charset?B|Q?text?=` decoded; white space between two adjacent words dropped.
func decodeEncodedWords(_ value: String) -> String {
    let word = /=\?([^?]+)\?([BbQq])\?([^?]*)\?=/
    var result = ""
    var rest = Substring(value)
    var afterWord = false
    while let match = rest.firstMatch(of: word) {
        let gap = rest[..<match.range.lowerBound]
        if !(afterWord && gap.allSatisfy(\.isWhitespace)) { result += gap }
        let bytes: [UInt8]
        if match.2.uppercased() == "B" {
            bytes = Data(base64Encoded: String(match.3)).map(Array.init) ?? []
        } else {
            bytes = (try? decodeQuotedPrintable(String(match.3).replacing("_", with: " "))) ?? []
        }
        result += String(decoding: bytes, as: UTF8.self)
        rest = rest[match.range.upperBound...]
        afterWord = true
    }
    return result + rest
}
