import Foundation

/// `Content-Disposition` values (RFC 6266).
enum ContentDisposition {
    /// `attachment`, with the name to save under: an ASCII `filename` for old clients, its quotes
    /// and backslashes and anything outside printable ASCII replaced by `_`, and the exact name in
    /// `filename*` (RFC 5987) when they differ.
    static func attachment(filename: String) -> String {
        let fallback = String(
            filename.unicodeScalars.map { scalar -> Character in
                scalar.isASCII && scalar.value >= 0x20 && scalar.value != 0x7f && scalar != "\"" && scalar != "\\"
                    ? Character(scalar) : "_"
            })
        guard fallback != filename else { return "attachment; filename=\"\(filename)\"" }
        let encoded = filename.addingPercentEncoding(withAllowedCharacters: attrChar) ?? fallback
        return "attachment; filename=\"\(fallback)\"; filename*=UTF-8''\(encoded)"
    }

    /// RFC 5987's `attr-char`: what `filename*` may hold without percent-encoding.
    private static let attrChar = CharacterSet(
        charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789!#$&+-.^_`|~")
}
