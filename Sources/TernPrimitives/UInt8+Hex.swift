extension UInt8 {
    /// The value of this ASCII byte as a hexadecimal digit (`"a"` and `"A"` are 10), or `nil`.
    package var hexDigitValue: UInt8? {
        switch self {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): self - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): self - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): self - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    /// The lowercase ASCII hexadecimal digit of a value below 16.
    @inlinable
    package init(lowercaseHexDigit value: UInt8) {
        self = value < 10 ? UInt8(ascii: "0") + value : UInt8(ascii: "a") + value - 10
    }
}

extension Sequence<UInt8> {
    /// The bytes in lowercase hexadecimal, two digits each (a digest as text). Inlinable, so that
    /// it is compiled for the caller's sequence: an entity tag is written for every cached answer.
    @inlinable
    package var lowercaseHex: String {
        var digits: [UInt8] = []
        digits.reserveCapacity(underestimatedCount * 2)
        for byte in self {
            digits.append(UInt8(lowercaseHexDigit: byte >> 4))
            digits.append(UInt8(lowercaseHexDigit: byte & 0x0f))
        }
        return String(decoding: digits, as: UTF8.self)
    }
}
