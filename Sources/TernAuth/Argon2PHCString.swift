/// An Argon2id hash as the PHC string we store: `$argon2id$v=19$m=65536,t=3,p=4$<salt>$<hash>`, salt
/// and hash in base64 without padding.
///
/// libargon2 writes and reads this format only inside its own hash and verify functions, which
/// allocate with malloc; hashing through `argon2_ctx` with our allocator means doing both here. The
/// reading follows libargon2's `decode_string` to the letter, so that what `argon2id_verify` accepted
/// still verifies and what it refused is still refused.
struct Argon2PHCString {
    /// Argon2 1.3, the only version libargon2 writes; 1.0 hashes (`v=16`, or no `v=`) still verify.
    static let currentVersion: UInt32 = 0x13

    var version: UInt32 = currentVersion
    var memoryKiB: UInt32
    var iterations: UInt32
    var parallelism: UInt32
    var salt: [UInt8]
    var hash: [UInt8]

    /// A hash of `parameters`' cost, still without its output.
    init(parameters: Argon2Parameters, salt: [UInt8]) {
        self.memoryKiB = parameters.memoryKiB
        self.iterations = parameters.iterations
        self.parallelism = parameters.parallelism
        self.salt = salt
        self.hash = []
    }

    /// The fields of `text`; `nil` unless it is exactly `$argon2id[$v=N]$m=M,t=T,p=P$salt$hash`.
    init?(parsing text: String) {
        var scanner = PHCScanner(text)
        guard scanner.skip("$argon2id") else { return nil }
        let version = scanner.skip("$v=") ? scanner.decimal() : 0x10
        guard let version, scanner.skip("$m="), let memoryKiB = scanner.decimal(), scanner.skip(",t="),
            let iterations = scanner.decimal(), scanner.skip(",p="), let parallelism = scanner.decimal(), scanner.skip("$"),
            let salt = scanner.base64(), scanner.skip("$"), let hash = scanner.base64(), scanner.isAtEnd
        else { return nil }
        self.version = version
        self.memoryKiB = memoryKiB
        self.iterations = iterations
        self.parallelism = parallelism
        self.salt = salt
        self.hash = hash
    }

    /// The string to store, as libargon2's `encode_string` writes it.
    var encoded: String {
        "$argon2id$v=\(version)$m=\(memoryKiB),t=\(iterations),p=\(parallelism)$\(PHCBase64.encode(salt))$\(PHCBase64.encode(hash))"
    }

    /// The cost this hash was made with, as a policy to compare with.
    var parameters: Argon2Parameters {
        Argon2Parameters(
            memoryKiB: memoryKiB, iterations: iterations, parallelism: parallelism, saltLength: salt.count, hashLength: hash.count)
    }
}

/// Reads a PHC string front to back, as libargon2's decoder does: literal prefixes, minimal
/// decimals, and base64 that runs to the first character outside its alphabet.
private struct PHCScanner {
    private var rest: Substring.UTF8View

    init(_ text: String) {
        rest = text[...].utf8
    }

    var isAtEnd: Bool { rest.isEmpty }

    mutating func skip(_ literal: String) -> Bool {
        guard rest.starts(with: literal.utf8) else { return false }
        rest = rest.dropFirst(literal.utf8.count)
        return true
    }

    /// A 32-bit decimal without leading zeros, which libargon2 refuses too.
    mutating func decimal() -> UInt32? {
        let digits = rest.prefix { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
        rest = rest.dropFirst(digits.count)
        guard !digits.isEmpty, digits.first != UInt8(ascii: "0") || digits.count == 1 else { return nil }
        return UInt32(String(decoding: digits, as: UTF8.self))
    }

    mutating func base64() -> [UInt8]? {
        let characters = rest.prefix { PHCBase64.value(of: $0) != nil }
        rest = rest.dropFirst(characters.count)
        return PHCBase64.decode(characters)
    }
}

/// The base64 of PHC strings: the standard alphabet, no padding, and no stray bits in the last
/// character (libargon2 refuses those, so a string it refused cannot verify here).
enum PHCBase64 {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    static func encode(_ bytes: [UInt8]) -> String {
        var characters: [UInt8] = []
        characters.reserveCapacity((bytes.count * 4 + 2) / 3)
        var (accumulator, bits): (UInt32, Int) = (0, 0)
        for byte in bytes {
            (accumulator, bits) = (accumulator << 8 | UInt32(byte), bits + 8)
            while bits >= 6 {
                bits -= 6
                characters.append(alphabet[Int(accumulator >> UInt32(bits) & 0x3F)])
            }
        }
        if bits > 0 { characters.append(alphabet[Int(accumulator << UInt32(6 - bits) & 0x3F)]) }
        return String(decoding: characters, as: UTF8.self)
    }

    static func decode(_ characters: some Sequence<UInt8>) -> [UInt8]? {
        var bytes: [UInt8] = []
        var (accumulator, bits): (UInt32, Int) = (0, 0)
        for character in characters {
            guard let value = value(of: character) else { return nil }
            (accumulator, bits) = ((accumulator << 6 | value) & 0xFFFF, bits + 6)
            if bits >= 8 {
                bits -= 8
                bytes.append(UInt8(truncatingIfNeeded: accumulator >> UInt32(bits)))
            }
        }
        // A length of 1 modulo 4 leaves 6 bits over; otherwise the 0, 2 or 4 left must be zero.
        guard bits <= 4, accumulator & (1 << UInt32(bits) - 1) == 0 else { return nil }
        return bytes
    }

    static func value(of character: UInt8) -> UInt32? {
        switch character {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): UInt32(character - UInt8(ascii: "A"))
        case UInt8(ascii: "a")...UInt8(ascii: "z"): UInt32(character - UInt8(ascii: "a")) + 26
        case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt32(character - UInt8(ascii: "0")) + 52
        case UInt8(ascii: "+"): 62
        case UInt8(ascii: "/"): 63
        default: nil
        }
    }
}
