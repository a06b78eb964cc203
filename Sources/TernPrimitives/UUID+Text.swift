import Foundation

extension UUID {
    /// Parses the canonical form (`8-4-4-4-12` hex digits, any case) without Foundation's
    /// `sscanf`-based parser, which is slow enough to show in profiles of row decoding.
    public init?(canonical text: String) {
        var text = text
        guard let uuid = text.withUTF8(UUID.init(canonicalUTF8:)) else { return nil }
        self = uuid
    }

    /// Parses the canonical form from its UTF-8 bytes: a row's id is read from the bytes the
    /// database sent, with no `String` made for it.
    public init?(canonicalUTF8 bytes: UnsafeBufferPointer<UInt8>) {
        guard bytes.count == 36 else { return nil }
        var parsed: uuid_t = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        let valid = withUnsafeMutableBytes(of: &parsed) { output -> Bool in
            var byteIndex = 0
            var position = 0
            while position < 36 {
                if position == 8 || position == 13 || position == 18 || position == 23 {
                    guard bytes[position] == UInt8(ascii: "-") else { return false }
                    position += 1
                    continue
                }
                guard let high = bytes[position].hexDigitValue, let low = bytes[position + 1].hexDigitValue else { return false }
                output[byteIndex] = high << 4 | low
                byteIndex += 1
                position += 2
            }
            return true
        }
        guard valid else { return nil }
        self.init(uuid: parsed)
    }

    /// The canonical form in lowercase (what PostgreSQL prints and the API returns), without
    /// Foundation's `snprintf`-based `uuidString`.
    public var lowercasedString: String {
        String(unsafeUninitializedCapacity: Self.canonicalLength) { writeLowercased(into: $0) }
    }

    /// The length of the canonical form: 32 hex digits and 4 dashes.
    public static var canonicalLength: Int { 36 }

    /// Writes ``lowercasedString`` into the first ``canonicalLength`` bytes of `output` and returns
    /// how many it wrote, so that a JSON answer takes an id's text without a `String` made for it.
    public func writeLowercased(into output: UnsafeMutableBufferPointer<UInt8>) -> Int {
        precondition(output.count >= Self.canonicalLength, "a UUID's text needs 36 bytes")
        return withUnsafeBytes(of: uuid) { bytes in
            var position = 0
            for (index, byte) in bytes.enumerated() {
                if index == 4 || index == 6 || index == 8 || index == 10 {
                    output[position] = UInt8(ascii: "-")
                    position += 1
                }
                output[position] = UInt8(lowercaseHexDigit: byte >> 4)
                output[position + 1] = UInt8(lowercaseHexDigit: byte & 0x0F)
                position += 2
            }
            return position
        }
    }
}
