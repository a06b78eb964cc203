/// An IPv4 network in CIDR notation.
struct IPv4Network: Sendable, Equatable {
    let base: UInt32
    let mask: UInt32

    init?(_ text: String) {
        let parts = text.split(separator: "/")
        guard parts.count == 2, let base = Self.address(String(parts[0])), let length = Int(parts[1]), (0...32).contains(length) else {
            return nil
        }
        mask = length == 0 ? 0 : UInt32.max << (32 - length)
        self.base = base & mask
    }

    func contains(_ address: UInt32) -> Bool { address & mask == base }

    static func address(_ text: String) -> UInt32? {
        let octets = text.split(separator: ".", omittingEmptySubsequences: false).compactMap { UInt8($0) }
        guard octets.count == 4, text.split(separator: ".").count == 4 else { return nil }
        return octets.reduce(0) { $0 << 8 | UInt32($1) }
    }
}
