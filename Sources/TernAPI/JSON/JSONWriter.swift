import NIOCore
import TernPrimitives

/// Writes compact JSON (no spaces, UTF-8, non-ASCII kept as is), the way FastAPI's JSON responses
/// look, straight into a `ByteBuffer` without an intermediate tree: the buffer is the response body.
///
/// Types that appear in responses write themselves (``APIValue/writeJSON(to:)``); schema types get
/// that code from the `@Schema` macro, with their keys in declaration order.
public struct JSONWriter: Sendable {
    /// What was written so far, as a response body takes it.
    public private(set) var buffer: ByteBuffer
    /// Whether a value was written at this level, so the next one needs a comma first.
    private var needsComma = false

    public init(reservingCapacity capacity: Int = 256) {
        buffer = ByteBufferAllocator().buffer(capacity: capacity)
    }

    /// What was written so far, copied out of ``buffer``.
    public var bytes: [UInt8] {
        Array(buffer.readableBytesView)
    }

    // MARK: Containers

    public mutating func beginObject() {
        separate()
        buffer.writeInteger(UInt8(ascii: "{"))
        needsComma = false
    }

    public mutating func endObject() {
        buffer.writeInteger(UInt8(ascii: "}"))
        needsComma = true
    }

    public mutating func beginArray() {
        separate()
        buffer.writeInteger(UInt8(ascii: "["))
        needsComma = false
    }

    public mutating func endArray() {
        buffer.writeInteger(UInt8(ascii: "]"))
        needsComma = true
    }

    /// Writes an object key; the next value written is its value.
    public mutating func key(_ key: String) {
        separate()
        writeString(key, then: UInt8(ascii: ":"))
        needsComma = false
    }

    // MARK: Scalars

    public mutating func null() {
        separate()
        buffer.writeStaticString("null")
    }

    public mutating func bool(_ value: Bool) {
        separate()
        buffer.writeStaticString(value ? "true" : "false")
    }

    public mutating func integer(_ value: some BinaryInteger) {
        separate()
        buffer.writeString(String(value))
    }

    /// Writes a number the way Python's `repr` does (`1.0`, `0.30000000000000004`); JSON has no
    /// infinities or NaN, so those become `null`.
    public mutating func double(_ value: Double) {
        separate()
        guard value.isFinite else {
            buffer.writeStaticString("null")
            return
        }
        buffer.writeString("\(value)")
    }

    public mutating func string(_ value: String) {
        separate()
        writeString(value)
    }

    /// Writes a string whose UTF-8 bytes `write` puts straight into the buffer (at most
    /// `maximumCount`, returning how many), for text that never needs an escape: an id, a
    /// timestamp. Every row of a list has some, and each would otherwise be a `String` made and
    /// freed. When `write` returns `nil`, nothing is written and the result is `false`.
    public mutating func unescapedString(
        maximumCount: Int, _ write: (UnsafeMutableBufferPointer<UInt8>) -> Int?
    ) -> Bool {
        let commaCount = needsComma ? 1 : 0
        var wrote = false
        buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: commaCount + maximumCount + 2) { raw in
            let target = raw.bindMemory(to: UInt8.self)
            if commaCount == 1 { target[0] = UInt8(ascii: ",") }
            target[commaCount] = UInt8(ascii: "\"")
            let start = commaCount + 1
            guard let count = write(UnsafeMutableBufferPointer(rebasing: target[start..<(start + maximumCount)])) else { return 0 }
            assert(!target[start..<(start + count)].contains(where: Self.needsEscape), "unescapedString was given bytes to escape")
            target[start + count] = UInt8(ascii: "\"")
            wrote = true
            return start + count + 1
        }
        if wrote { needsComma = true }
        return wrote
    }

    /// Writes a value tree.
    public mutating func value(_ value: JSONValue) {
        switch value {
        case .null: null()
        case .bool(let bool): self.bool(bool)
        case .integer(let integer): self.integer(integer)
        case .double(let double): self.double(double)
        case .string(let string): self.string(string)
        case .array(let array):
            beginArray()
            for element in array { self.value(element) }
            endArray()
        case .object(let object):
            beginObject()
            for member in object.members {
                key(member.key)
                self.value(member.value)
            }
            endObject()
        }
    }

    // MARK: Internals

    private mutating func separate() {
        if needsComma { buffer.writeInteger(UInt8(ascii: ",")) }
        needsComma = true
    }

    /// Writes `string` quoted, and `suffix` after it when given (a key's colon).
    private mutating func writeString(_ string: String, then suffix: UInt8? = nil) {
        var string = string
        string.withUTF8 { bytes in
            // Most strings need no escape: then they go in with one copy, quotes and all (a write
            // per byte checks the buffer's capacity and uniqueness each time).
            guard bytes.contains(where: Self.needsEscape) else {
                let count = bytes.count + (suffix == nil ? 2 : 3)
                buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: count) { target in
                    target[0] = UInt8(ascii: "\"")
                    UnsafeMutableRawBufferPointer(rebasing: target[1...]).copyMemory(from: UnsafeRawBufferPointer(bytes))
                    target[bytes.count + 1] = UInt8(ascii: "\"")
                    if let suffix { target[bytes.count + 2] = suffix }
                    return count
                }
                return
            }
            buffer.writeInteger(UInt8(ascii: "\""))
            for byte in bytes { writeEscaping(byte) }
            buffer.writeInteger(UInt8(ascii: "\""))
            if let suffix { buffer.writeInteger(suffix) }
        }
    }

    private static func needsEscape(_ byte: UInt8) -> Bool {
        byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\")
    }

    private mutating func writeEscaping(_ byte: UInt8) {
        if let letter = Self.shortEscape(byte) {
            buffer.writeInteger(UInt8(ascii: "\\"))
            buffer.writeInteger(letter)
        } else if byte < 0x20 {
            buffer.writeStaticString("\\u00")
            buffer.writeInteger(UInt8(lowercaseHexDigit: byte >> 4))
            buffer.writeInteger(UInt8(lowercaseHexDigit: byte & 0x0F))
        } else {
            buffer.writeInteger(byte)
        }
    }
}

extension JSONWriter {
    /// The letter after the backslash of a byte with a two-character escape (`\n`), as Python writes them.
    fileprivate static func shortEscape(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "\""): UInt8(ascii: "\"")
        case UInt8(ascii: "\\"): UInt8(ascii: "\\")
        case UInt8(ascii: "\n"): UInt8(ascii: "n")
        case UInt8(ascii: "\r"): UInt8(ascii: "r")
        case UInt8(ascii: "\t"): UInt8(ascii: "t")
        case 0x08: UInt8(ascii: "b")
        case 0x0C: UInt8(ascii: "f")
        default: nil
        }
    }
}

extension JSONValue {
    /// The compact JSON text of the value.
    public var jsonText: String {
        var writer = JSONWriter()
        writer.value(self)
        return String(buffer: writer.buffer)
    }
}
