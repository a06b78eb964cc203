import Foundation
import TernPrimitives

/// Parses UUIDs as pydantic does (through Rust's `uuid` crate): hyphenated, 32 hex digits, `{...}`
/// or `urn:uuid:...`, any case, with the crate's explanation of what is wrong otherwise.
enum UUIDText {
    struct Failure: Error {
        let message: String
    }

    static func parse(_ text: String) -> Result<UUID, Failure> {
        if let uuid = UUID(canonical: text) { return .success(uuid) }
        var body = Substring(text)
        var isWrapped = true
        if body.hasPrefix("{"), body.hasSuffix("}"), body.count >= 2 {
            body = body.dropFirst().dropLast()
        } else if body.lowercased().hasPrefix("urn:uuid:") {
            body = body.dropFirst(9)
        } else {
            isWrapped = false
        }
        // `{...}` and `urn:uuid:...` wrap the hyphenated form; 32 bare hex digits stand alone.
        if isWrapped, let uuid = UUID(canonical: String(body)) { return .success(uuid) }
        if !isWrapped, body.utf8.count == 32, body.utf8.allSatisfy({ $0.hexDigitValue != nil }) {
            var hyphenated: [UInt8] = []
            for (index, byte) in body.utf8.enumerated() {
                if [8, 12, 16, 20].contains(index) { hyphenated.append(UInt8(ascii: "-")) }
                hyphenated.append(byte)
            }
            if let uuid = UUID(canonical: String(decoding: hyphenated, as: UTF8.self)) { return .success(uuid) }
        }
        return .failure(Failure(message: explain(text, body: body, simple: !isWrapped)))
    }

    /// The `uuid` crate's account of a malformed input (`InvalidUuid::into_err`).
    private static func explain(_ text: String, body: Substring, simple: Bool) -> String {
        var hyphenPositions: [Int] = []
        for (index, character) in body.enumerated() {
            if character == "-" {
                hyphenPositions.append(index)
            } else if !(character.isASCII && character.isHexDigit) {
                return "invalid character: found `\(character)` at \(index)"
            }
        }
        if hyphenPositions.isEmpty && simple {
            return "invalid length: found \(text.utf8.count)"
        }
        if hyphenPositions.count != 4 {
            return "invalid group count: expected 5, found \(hyphenPositions.count + 1)"
        }
        let starts = [0, 9, 14, 19, 24]
        let expected = [8, 4, 4, 4, 12]
        for group in 0..<4 where hyphenPositions[group] != starts[group + 1] - 1 {
            let start = group == 0 ? 0 : hyphenPositions[group - 1] + 1
            return "invalid group length in group \(group): expected \(expected[group]), found \(hyphenPositions[group] - start)"
        }
        return "invalid group length in group 4: expected 12, found \(body.count - hyphenPositions[3] - 1)"
    }
}
