import Foundation

/// RFC 2047 encoded words: how text that is not ASCII travels in a header (`Subject`, a display
/// name), as `=?UTF-8?B?…?=` runs of base64 that a mail client decodes and joins.
enum EncodedWord {
    /// The UTF-8 bytes one word carries: 39 bytes make 52 base64 characters, a 64-character word,
    /// which fits on a line after `Reply-To: ` within 78 characters (RFC 2047 allows 75 per word).
    static let bytesPerWord = 39

    /// Whether `text` can go into a header as it is: printable ASCII and spaces, without `=?`, which
    /// a reader would take for the start of an encoded word.
    static func isPlain(_ text: String) -> Bool {
        text.utf8.allSatisfy { $0 >= 0x20 && $0 < 0x7f } && !text.contains("=?")
    }

    /// `text` as encoded words, to be separated by folding white space (which readers drop between
    /// words). Words end between Unicode scalars, never inside one's UTF-8 sequence.
    static func encode(_ text: String) -> [String] {
        var words: [String] = []
        var chunk: [UInt8] = []
        for scalar in text.unicodeScalars {
            let bytes = Array(String(scalar).utf8)
            if chunk.count + bytes.count > bytesPerWord {
                words.append(word(chunk))
                chunk = []
            }
            chunk += bytes
        }
        if !chunk.isEmpty || words.isEmpty { words.append(word(chunk)) }
        return words
    }

    private static func word(_ bytes: [UInt8]) -> String {
        "=?UTF-8?B?\(Data(bytes).base64EncodedString())?="
    }
}
