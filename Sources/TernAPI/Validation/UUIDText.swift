import Foundation
import TernDatabase

/// Parses UUIDs as pydantic does (through Rust's `uuid` crate): hyphenated, 32 hex digits, `{...}`
/// or `urn:uuid:...`, any case, with the crate's explanation of what is wrong otherwise.
enum UUIDText {
    struct Failure: Error {
        let message: String
    }

    static func parse(_ text: String) -> Result<UUID, Failure> {
        if let uuid = UUID(canonical: text) { return .success(uuid) }
        var body = Substring(text)
        var prefixLength = 0
        if body.hasPrefix("{"), body.hasSuffix("}"), body.count >= 2 {
            body = body.dropFirst().dropLast()
            prefixLength = 1
        } else if body.lowercased().hasPrefix("urn:uuid:") {
            body = body.dropFirst(9)
            prefixLength = 9
        }
        let hex = body.filter { $0 != "-" }
        let shapeIsValid = (body.count == 32 && prefixLength == 0 && !body.contains("-")) || body.count == 36
        if shapeIsValid, hex.count == 32, hex.allSatisfy(\.isHexDigit), hyphensAreWellPlaced(body) {
            let canonical = [8, 4, 4, 4, 12].reduce(into: (parts: [String](), rest: Substring(hex))) { state, length in
                state.parts.append(String(state.rest.prefix(length)))
                state.rest = state.rest.dropFirst(length)
            }.parts.joined(separator: "-")
            if let uuid = UUID(canonical: canonical) { return .success(uuid) }
        }
        return .failure(Failure(message: explain(text, body: body, simple: prefixLength == 0)))
    }

    private static func hyphensAreWellPlaced(_ body: Substring) -> Bool {
        guard body.contains("-") else { return true }
        let positions = body.enumerated().filter { $0.element == "-" }.map(\.offset)
        return positions == [8, 13, 18, 23]
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
