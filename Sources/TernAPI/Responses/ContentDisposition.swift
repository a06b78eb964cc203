import Foundation
import TernPrimitives

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

extension ContentDisposition {
    /// The `name` and `filename` of a part of a `multipart/form-data` body (`form-data; name="file";
    /// filename="report.pdf"`); `filename*` (RFC 5987) wins over `filename` when both are given.
    struct Parameters {
        var name: String?
        var filename: String?
    }

    static func parse(_ value: String) -> Parameters {
        var parameters = Parameters()
        var extendedFilename: String?
        for (key, value) in parameterPairs(value) {
            switch key {
            case "name": parameters.name = value
            case "filename": parameters.filename = value
            case "filename*":
                let pieces = value.split(separator: "'", maxSplits: 2, omittingEmptySubsequences: false)
                if pieces.count == 3, pieces[0].lowercased() == "utf-8" { extendedFilename = String(pieces[2]).removingPercentEncoding }
            default: break
            }
        }
        if let extendedFilename { parameters.filename = extendedFilename }
        return parameters
    }

    /// `key=value` pairs after the disposition type, keys lowercased, quoted values unquoted
    /// (a `;` inside quotes is part of the value).
    private static func parameterPairs(_ value: String) -> [(String, String)] {
        var pieces: [String] = []
        var current = ""
        var quoted = false
        var escaped = false
        for character in value {
            if escaped {
                current.append(character)
                escaped = false
            } else if quoted, character == "\\" {
                escaped = true
            } else if character == "\"" {
                quoted.toggle()
            } else if character == ";", !quoted {
                pieces.append(current)
                current = ""
            } else {
                current.append(character)
            }
        }
        pieces.append(current)
        return pieces.dropFirst().compactMap { piece in
            let pair = piece.split(separator: "=", maxSplits: 1)
            guard pair.count == 2 else { return nil }
            return (pair[0].trimmingWhitespaces().lowercased(), pair[1].trimmingWhitespaces())
        }
    }
}
