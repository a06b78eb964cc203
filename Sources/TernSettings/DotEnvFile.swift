import Foundation

/// The variables of a `.env` file.
///
/// Understands what `.env` files written for Docker Compose and python-dotenv contain: `KEY=value`
/// lines, blank lines and `#` comments, an optional `export ` prefix, single-quoted values (taken
/// literally), double-quoted values (with `\n`, `\"` and `\\` escapes), and trailing ` # comments` after
/// unquoted values.
public struct DotEnvFile: Sendable {
    /// A line that is not a variable assignment.
    public struct SyntaxError: Error, CustomStringConvertible {
        public let line: Int
        public let reason: String
        public var description: String { ".env line \(line): \(reason)" }
    }

    /// The variables, by name.
    public let variables: [String: String]

    /// Reads a file; a missing file has no variables.
    public init(path: String) throws {
        let exists = FileManager.default.fileExists(atPath: path)
        try self.init(contents: exists ? String(contentsOfFile: path, encoding: .utf8) : "")
    }

    /// Parses the text of a `.env` file.
    public init(contents: String) throws(SyntaxError) {
        var variables: [String: String] = [:]
        // `\r\n` is one Character, so splitting on "\n" alone would leave CRLF files in one piece.
        for (offset, rawLine) in contents.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            var line = rawLine.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            if line.hasPrefix("export ") { line = String(line.dropFirst("export ".count)) }
            guard let equals = line.firstIndex(of: "=") else {
                throw SyntaxError(line: offset + 1, reason: "expected KEY=value")
            }
            let key = line[..<equals].trimmingCharacters(in: .whitespaces)
            guard Self.isValidName(key) else {
                throw SyntaxError(line: offset + 1, reason: "'\(key)' is not a valid variable name")
            }
            let rawValue = line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            variables[key] = try Self.value(rawValue, line: offset + 1)
        }
        self.variables = variables
    }

    private static func isValidName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, first == "_" || first.properties.isAlphabetic else {
            return false
        }
        return name.unicodeScalars.allSatisfy { $0 == "_" || ($0.isASCII && $0.properties.isAlphabetic) || ("0"..."9").contains($0) }
    }

    private static func value(_ raw: String, line: Int) throws(SyntaxError) -> String {
        if raw.hasPrefix("'") {
            guard let end = raw.dropFirst().firstIndex(of: "'") else {
                throw SyntaxError(line: line, reason: "unterminated single-quoted value")
            }
            return String(raw[raw.index(after: raw.startIndex)..<end])
        }
        if raw.hasPrefix("\"") {
            var result = ""
            var escaped = false
            for character in raw.dropFirst() {
                if escaped {
                    switch character {
                    case "n": result.append("\n")
                    case "t": result.append("\t")
                    default: result.append(character)
                    }
                    escaped = false
                } else if character == "\\" {
                    escaped = true
                } else if character == "\"" {
                    return result
                } else {
                    result.append(character)
                }
            }
            throw SyntaxError(line: line, reason: "unterminated double-quoted value")
        }
        if let comment = raw.range(of: " #") {
            return raw[..<comment.lowerBound].trimmingCharacters(in: .whitespaces)
        }
        return raw
    }
}
