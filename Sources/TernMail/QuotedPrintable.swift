/// Quoted-printable (RFC 2045 §6.7), the body encoding: mostly-ASCII text stays readable, every
/// line of the result is at most 76 characters, and the message is 7-bit clean whatever the text.
enum QuotedPrintable {
    /// The longest line, soft-break `=` included.
    static let maxLineLength = 76

    /// Encodes `text` as UTF-8, its line breaks (LF, CRLF or CR) becoming CRLF.
    static func encode(_ text: String) -> String {
        lines(of: text).map(encodeLine).joined(separator: "\r\n")
    }

    /// The lines of `text`, without their line breaks: LF, CRLF and a lone CR each end one.
    private static func lines(of text: String) -> [[UInt8]] {
        var lines: [[UInt8]] = [[]]
        var previous: UInt8 = 0
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\r"): lines.append([])
            case UInt8(ascii: "\n") where previous != UInt8(ascii: "\r"): lines.append([])
            case UInt8(ascii: "\n"): break
            default: lines[lines.count - 1].append(byte)
            }
            previous = byte
        }
        return lines
    }

    /// One line, with soft line breaks (`=` CRLF) where it is too long.
    private static func encodeLine(_ line: [UInt8]) -> String {
        var output = ""
        var column = 0
        for (index, byte) in line.enumerated() {
            let isLast = index == line.count - 1
            var piece = encode(byte, atLineStart: column == 0, atLineEnd: isLast)
            // A line that goes on needs room for the `=` of its soft break.
            if column + piece.count > (isLast ? maxLineLength : maxLineLength - 1) {
                output += "=\r\n"
                column = 0
                piece = encode(byte, atLineStart: true, atLineEnd: isLast)
            }
            output += piece
            column += piece.count
        }
        return output
    }

    /// A byte as itself or as `=XX`. White space at the end of a line is encoded because transports
    /// may strip it; a dot starting a line is too, so no SMTP server can take it for the end of data.
    private static func encode(_ byte: UInt8, atLineStart: Bool, atLineEnd: Bool) -> String {
        let isLiteral: Bool =
            switch byte {
            case UInt8(ascii: " "), UInt8(ascii: "\t"): !atLineEnd
            case UInt8(ascii: "."): !atLineStart
            case UInt8(ascii: "="): false
            case 33...126: true
            default: false
            }
        if isLiteral { return String(UnicodeScalar(byte)) }
        let digits = Array("0123456789ABCDEF".utf8)
        return String(decoding: [UInt8(ascii: "="), digits[Int(byte >> 4)], digits[Int(byte & 0x0f)]], as: UTF8.self)
    }
}
