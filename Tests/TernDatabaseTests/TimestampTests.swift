import Foundation
import TernPrimitives
import Testing

@testable import TernDatabase

@Suite("Timestamp text", .timeLimit(.minutes(5)))
struct TimestampTests {
    @Test("formats as fixed-width ISO 8601 UTC with microseconds")
    func format() {
        #expect(ISO8601Timestamp.format(Date(timeIntervalSince1970: 0)) == "1970-01-01T00:00:00.000000Z")
        #expect(ISO8601Timestamp.format(Date(timeIntervalSince1970: 1_795_442_932.123456)) == "2026-11-23T14:08:52.123456Z")
        #expect(ISO8601Timestamp.format(Date(timeIntervalSince1970: -1.5)) == "1969-12-31T23:59:58.500000Z")
        // Past the four-digit years: the year's own digits, then the fixed-width rest.
        #expect(ISO8601Timestamp.format(Date(timeIntervalSince1970: 253_402_300_800)) == "10000-01-01T00:00:00.000000Z")
    }

    @Test("written into a buffer as formatted, a whole second without its fraction when asked")
    func writeInPlace() {
        func written(_ seconds: Double, omittingZeroFraction: Bool) -> String? {
            var bytes = [UInt8](repeating: 0, count: ISO8601Timestamp.fixedLength)
            let count = bytes.withUnsafeMutableBufferPointer {
                ISO8601Timestamp.write(Date(timeIntervalSince1970: seconds), into: $0, omittingZeroFraction: omittingZeroFraction)
            }
            return count.map { String(decoding: bytes.prefix($0), as: UTF8.self) }
        }
        #expect(written(1_795_442_932.123456, omittingZeroFraction: false) == "2026-11-23T14:08:52.123456Z")
        #expect(written(1_795_442_932.123456, omittingZeroFraction: true) == "2026-11-23T14:08:52.123456Z")
        #expect(written(1_795_442_932, omittingZeroFraction: false) == "2026-11-23T14:08:52.000000Z")
        #expect(written(1_795_442_932, omittingZeroFraction: true) == "2026-11-23T14:08:52Z")
        #expect(ISO8601Timestamp.format(Date(timeIntervalSince1970: 1_795_442_932), omittingZeroFraction: true) == "2026-11-23T14:08:52Z")
        // A year of five digits does not fit: only format(_:) writes it.
        #expect(written(253_402_300_800, omittingZeroFraction: false) == nil)
    }

    @Test(
        "parses PostgreSQL and ISO 8601 forms",
        arguments: [
            ("2026-11-23 14:08:52.123456+00", 1_795_442_932.123456),
            ("2026-11-23T14:08:52.123456Z", 1_795_442_932.123456),
            ("2026-11-23 16:08:52+02", 1_795_442_932.0),
            ("2026-11-23T09:38:52-04:30", 1_795_442_932.0),
            ("2026-11-23 14:08:52", 1_795_442_932.0),
            ("2000-02-29T00:00:00Z", 951_782_400.0),
        ])
    func parse(text: String, seconds: Double) throws {
        let date = try #require(ISO8601Timestamp.parse(text))
        #expect(abs(date.timeIntervalSince1970 - seconds) < 0.000_001)
    }

    @Test("rejects malformed text", arguments: ["", "2026-13-01T00:00:00Z", "2026-11-23", "2026-11-23T14:08:52Zjunk", "yesterday"])
    func rejects(text: String) {
        #expect(ISO8601Timestamp.parse(text) == nil)
    }

    @Test("round-trips through text", arguments: [0.0, 1_795_442_932.123456, 951_782_400.999999, -86_400.25])
    func roundTrip(seconds: Double) throws {
        let date = Date(timeIntervalSince1970: seconds)
        let parsed = try #require(ISO8601Timestamp.parse(ISO8601Timestamp.format(date)))
        #expect(abs(parsed.timeIntervalSince1970 - seconds) < 0.000_001)
    }
}
