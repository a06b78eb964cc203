import Foundation
import TernPrimitives

/// What a ``Cache`` stores under a key: when it stops being fresh (milliseconds since 1970, on the
/// wall clock every process shares), then whether something was found, then its bytes. An entry
/// saying "nothing" spares the database the same fruitless query from every caller.
struct CacheEntry: Sendable {
    let freshUntil: Int64
    /// `nil`: the computation found nothing.
    let value: [UInt8]?

    init(value: [UInt8]?, freshFor lifetime: Duration) {
        self.value = value
        freshUntil = Self.now + lifetime.wholeMilliseconds
    }

    init?(bytes: [UInt8]) {
        guard bytes.count >= 9, bytes[8] <= 1 else { return nil }
        freshUntil = bytes.prefix(8).reduce(0) { $0 << 8 | Int64($1) }
        value = bytes[8] == 1 ? Array(bytes.dropFirst(9)) : nil
    }

    var bytes: [UInt8] {
        (0..<8).reversed().map { UInt8(truncatingIfNeeded: freshUntil >> ($0 * 8)) } + [value == nil ? 0 : 1] + (value ?? [])
    }

    var isFresh: Bool { freshUntil > Self.now }

    private static var now: Int64 { Int64(Date().timeIntervalSince1970 * 1000) }
}
