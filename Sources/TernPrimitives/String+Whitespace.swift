import Foundation

extension StringProtocol where UTF8View: BidirectionalCollection {
    /// The text without its surrounding spaces and tabs (and Unicode spaces): Foundation's
    /// `trimmingCharacters(in: .whitespaces)`, which costs a request microseconds per call, skipped
    /// when there is nothing to trim, as in almost every header and query value.
    package func trimmingWhitespaces() -> String {
        // Every character `.whitespaces` holds is a space, a tab or outside ASCII.
        func isPrintableASCII(_ byte: UInt8) -> Bool { byte > 0x20 && byte < 0x7F }
        guard let first = utf8.first, let last = utf8.last, isPrintableASCII(first), isPrintableASCII(last) else {
            return trimmingCharacters(in: .whitespaces)
        }
        return String(self)
    }
}
