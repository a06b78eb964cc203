import TernPrimitives

/// Parses request bodies into ``JSONValue`` trees.
///
/// Written for this layer rather than taken from Foundation because validation needs what
/// `JSONDecoder` does not give: integers kept apart from floats, object keys in document order, and,
/// for malformed documents, the position and wording FastAPI reports (those of Python's `json`
/// module: `"Expecting value"` at character 12). It also bounds nesting, so a hostile document
/// cannot exhaust the stack.
public struct JSONParser {
    /// A document that is not valid JSON: Python's message and the character offset of the problem.
    public struct SyntaxError: Error, Sendable, Equatable {
        public let message: String
        public let position: Int
    }

    /// Nesting deeper than this is refused (as `"Maximum nesting depth exceeded"`).
    public static let maximumDepth = 512

    private let bytes: [UInt8]
    private var index = 0
    private var depth = 0

    private init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// Parses a whole document; surrounding whitespace is allowed, anything else after the value is not.
    public static func parse(_ bytes: [UInt8]) throws(SyntaxError) -> JSONValue {
        var parser = JSONParser(bytes)
        do throws(Failure) {
            parser.skipWhitespace()
            let value = try parser.parseValue()
            parser.skipWhitespace()
            guard parser.index == bytes.count else { throw Failure(message: "Extra data", offset: parser.index) }
            return value
        } catch {
            throw SyntaxError(message: error.message, position: parser.characterOffset(error.offset))
        }
    }

    /// Parses UTF-8 text.
    public static func parse(_ text: String) throws(SyntaxError) -> JSONValue {
        try parse(Array(text.utf8))
    }

    private struct Failure: Error {
        let message: String
        let offset: Int
    }

    // MARK: Values

    private mutating func parseValue() throws(Failure) -> JSONValue {
        guard index < bytes.count else { throw Failure(message: "Expecting value", offset: index) }
        switch bytes[index] {
        case UInt8(ascii: "{"): return try nested { (parser: inout JSONParser) throws(Failure) in try parser.parseObject() }
        case UInt8(ascii: "["): return try nested { (parser: inout JSONParser) throws(Failure) in try parser.parseArray() }
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t") where matches("true"):
            index += 4
            return .bool(true)
        case UInt8(ascii: "f") where matches("false"):
            index += 5
            return .bool(false)
        case UInt8(ascii: "n") where matches("null"):
            index += 4
            return .null
        case UInt8(ascii: "N") where matches("NaN"):
            index += 3
            return .double(.nan)
        case UInt8(ascii: "I") where matches("Infinity"):
            index += 8
            return .double(.infinity)
        case UInt8(ascii: "-") where matches("-Infinity"):
            index += 9
            return .double(-.infinity)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            if let number = parseNumber() { return number }
            throw Failure(message: "Expecting value", offset: index)
        default:
            throw Failure(message: "Expecting value", offset: index)
        }
    }

    private mutating func nested(_ parse: (inout JSONParser) throws(Failure) -> JSONValue) throws(Failure) -> JSONValue {
        depth += 1
        defer { depth -= 1 }
        guard depth <= Self.maximumDepth else {
            throw Failure(message: "Maximum nesting depth exceeded", offset: index)
        }
        return try parse(&self)
    }

    private mutating func parseObject() throws(Failure) -> JSONValue {
        index += 1
        var members: [(key: String, value: JSONValue)] = []
        skipWhitespace()
        if peek(UInt8(ascii: "}")) {
            index += 1
            return .object(JSONObject())
        }
        while true {
            guard peek(UInt8(ascii: "\"")) else {
                throw Failure(message: "Expecting property name enclosed in double quotes", offset: index)
            }
            let key = try parseString()
            skipWhitespace()
            guard peek(UInt8(ascii: ":")) else { throw Failure(message: "Expecting ':' delimiter", offset: index) }
            index += 1
            skipWhitespace()
            members.append((key, try parseValue()))
            skipWhitespace()
            if peek(UInt8(ascii: "}")) {
                index += 1
                return .object(JSONObject(members))
            }
            guard peek(UInt8(ascii: ",")) else { throw Failure(message: "Expecting ',' delimiter", offset: index) }
            index += 1
            skipWhitespace()
        }
    }

    private mutating func parseArray() throws(Failure) -> JSONValue {
        index += 1
        var elements: [JSONValue] = []
        skipWhitespace()
        if peek(UInt8(ascii: "]")) {
            index += 1
            return .array(elements)
        }
        while true {
            elements.append(try parseValue())
            skipWhitespace()
            if peek(UInt8(ascii: "]")) {
                index += 1
                return .array(elements)
            }
            guard peek(UInt8(ascii: ",")) else { throw Failure(message: "Expecting ',' delimiter", offset: index) }
            index += 1
            skipWhitespace()
        }
    }

    private mutating func parseString() throws(Failure) -> String {
        let start = index
        index += 1
        var scalars = String.UnicodeScalarView()
        var runStart = index
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "\""):
                defer { index += 1 }
                // Most strings have no escape: decode them in one go.
                guard runStart > start + 1 else { return String(decoding: bytes[runStart..<index], as: UTF8.self) }
                appendRun(from: runStart, to: index, into: &scalars)
                return String(scalars)
            case UInt8(ascii: "\\"):
                appendRun(from: runStart, to: index, into: &scalars)
                scalars.append(try parseEscape())
                runStart = index
            case 0..<0x20:
                throw Failure(message: "Invalid control character at", offset: index)
            default:
                index += 1
            }
        }
        throw Failure(message: "Unterminated string starting at", offset: start)
    }

    private func appendRun(from start: Int, to end: Int, into scalars: inout String.UnicodeScalarView) {
        guard start < end else { return }
        scalars.append(contentsOf: String(decoding: bytes[start..<end], as: UTF8.self).unicodeScalars)
    }

    private mutating func parseEscape() throws(Failure) -> Unicode.Scalar {
        let start = index
        guard index + 1 < bytes.count else { throw Failure(message: "Unterminated string starting at", offset: start) }
        let code = bytes[index + 1]
        index += 2
        switch code {
        case UInt8(ascii: "\""): return "\""
        case UInt8(ascii: "\\"): return "\\"
        case UInt8(ascii: "/"): return "/"
        case UInt8(ascii: "b"): return "\u{08}"
        case UInt8(ascii: "f"): return "\u{0C}"
        case UInt8(ascii: "n"): return "\n"
        case UInt8(ascii: "r"): return "\r"
        case UInt8(ascii: "t"): return "\t"
        case UInt8(ascii: "u"):
            guard let high = hexQuad(at: index) else { throw Failure(message: "Invalid \\uXXXX escape", offset: start + 1) }
            index += 4
            if (0xD800..<0xDC00).contains(high), bytes.count > index + 5, bytes[index] == UInt8(ascii: "\\"),
                bytes[index + 1] == UInt8(ascii: "u"), let low = hexQuad(at: index + 2), (0xDC00..<0xE000).contains(low)
            {
                index += 6
                return Unicode.Scalar(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)) ?? "\u{FFFD}"
            }
            // A lone surrogate cannot be a Swift scalar; Python keeps it, we substitute U+FFFD.
            return Unicode.Scalar(high) ?? "\u{FFFD}"
        default:
            throw Failure(message: "Invalid \\escape", offset: start)
        }
    }

    private func hexQuad(at offset: Int) -> UInt32? {
        guard offset + 4 <= bytes.count else { return nil }
        var value: UInt32 = 0
        for byte in bytes[offset..<offset + 4] {
            guard let digit = byte.hexDigitValue else { return nil }
            value = value << 4 | UInt32(digit)
        }
        return value
    }

    /// Reads `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`; `nil` (nothing consumed) when none starts here.
    private mutating func parseNumber() -> JSONValue? {
        let start = index
        var cursor = index
        if bytes[cursor] == UInt8(ascii: "-") { cursor += 1 }
        guard cursor < bytes.count, isDigit(bytes[cursor]) else { return nil }
        if bytes[cursor] == UInt8(ascii: "0") {
            cursor += 1
        } else {
            while cursor < bytes.count, isDigit(bytes[cursor]) { cursor += 1 }
        }
        var isInteger = true
        if cursor + 1 < bytes.count, bytes[cursor] == UInt8(ascii: "."), isDigit(bytes[cursor + 1]) {
            isInteger = false
            cursor += 1
            while cursor < bytes.count, isDigit(bytes[cursor]) { cursor += 1 }
        }
        if cursor < bytes.count, bytes[cursor] == UInt8(ascii: "e") || bytes[cursor] == UInt8(ascii: "E") {
            var exponent = cursor + 1
            if exponent < bytes.count, bytes[exponent] == UInt8(ascii: "+") || bytes[exponent] == UInt8(ascii: "-") {
                exponent += 1
            }
            if exponent < bytes.count, isDigit(bytes[exponent]) {
                isInteger = false
                cursor = exponent
                while cursor < bytes.count, isDigit(bytes[cursor]) { cursor += 1 }
            }
        }
        index = cursor
        let text = String(decoding: bytes[start..<cursor], as: UTF8.self)
        if isInteger, let integer = Int64(text) { return .integer(integer) }
        return .double(Double(text) ?? .nan)
    }

    // MARK: Scanning

    private func isDigit(_ byte: UInt8) -> Bool {
        byte &- UInt8(ascii: "0") < 10
    }

    private func peek(_ byte: UInt8) -> Bool {
        index < bytes.count && bytes[index] == byte
    }

    private func matches(_ word: StaticString) -> Bool {
        let count = word.utf8CodeUnitCount
        guard index + count <= bytes.count else { return false }
        return word.withUTF8Buffer { buffer in buffer.elementsEqual(bytes[index..<index + count]) }
    }

    private mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r"): index += 1
            default: return
            }
        }
    }

    /// Python reports positions in characters (code points), not bytes.
    private func characterOffset(_ byteOffset: Int) -> Int {
        bytes[..<min(byteOffset, bytes.count)].reduce(0) { count, byte in byte & 0xC0 == 0x80 ? count : count + 1 }
    }
}
