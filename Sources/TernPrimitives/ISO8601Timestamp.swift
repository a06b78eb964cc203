import Foundation

/// Converts dates to and from the text both databases use for timestamps.
///
/// Written by hand rather than with `ISO8601DateFormatter` because it runs for every timestamp of every
/// row, and because it must read PostgreSQL's own output (`2026-11-23 14:08:52.123456+00`) as well as
/// the ISO 8601 form stored in SQLite (`2026-11-23T14:08:52.123456Z`).
public enum ISO8601Timestamp {
    /// Formats a date as ISO 8601 UTC with microseconds: fixed width, so text order is time order.
    /// With `omittingZeroFraction`, a whole second ends `:52Z` rather than `:52.000000Z`, as pydantic
    /// writes it (shorter, so not for text that is sorted).
    public static func format(_ date: Date, omittingZeroFraction: Bool = false) -> String {
        var year: Int64 = 0
        let text = String(unsafeUninitializedCapacity: fixedLength) { buffer in
            let written = writeFields(of: date, into: buffer, omittingZeroFraction: omittingZeroFraction)
            year = written.year
            return written.count
        }
        // A year before 0 or after 9999 has no four-digit form: its own digits and sign, then the rest.
        return (0...9999).contains(year) ? text : String(year) + text.dropFirst(4)
    }

    /// The length of ``format(_:omittingZeroFraction:)``'s text for the years 0 to 9999: exactly,
    /// or at most when the zero fraction is omitted.
    public static var fixedLength: Int { 27 }

    /// Writes ``format(_:omittingZeroFraction:)``'s text into the first ``fixedLength`` bytes of
    /// `output` and returns how many it wrote, so that a JSON answer takes a timestamp without a
    /// `String` made for it; `nil` for a year outside 0 to 9999, which only `format` can write.
    public static func write(_ date: Date, into output: UnsafeMutableBufferPointer<UInt8>, omittingZeroFraction: Bool) -> Int? {
        let written = writeFields(of: date, into: output, omittingZeroFraction: omittingZeroFraction)
        return (0...9999).contains(written.year) ? written.count : nil
    }

    /// The fixed-width text, its year clamped to four digits, and the year itself.
    private static func writeFields(
        of date: Date, into output: UnsafeMutableBufferPointer<UInt8>, omittingZeroFraction: Bool
    ) -> (count: Int, year: Int64) {
        precondition(output.count >= fixedLength, "a timestamp's text needs 27 bytes")
        let micros = Int64((date.timeIntervalSince1970 * 1_000_000).rounded())
        let (days, microsOfDay) = micros.floorDivided(by: 86_400_000_000)
        let (year, month, day) = civilDate(fromDaysSinceEpoch: days)
        let seconds = microsOfDay / 1_000_000
        // Written in place, digit by digit: formatting seven numbers as strings and joining fourteen
        // pieces took 2.7 % of a list's CPU (every timestamp of every row it answers comes here).
        var text = DigitWriter(output)
        text.write(min(max(year, 0), 9999), digits: 4)
        text.write("-")
        text.write(month, digits: 2)
        text.write("-")
        text.write(day, digits: 2)
        text.write("T")
        text.write(seconds / 3600, digits: 2)
        text.write(":")
        text.write(seconds / 60 % 60, digits: 2)
        text.write(":")
        text.write(seconds % 60, digits: 2)
        if !omittingZeroFraction || microsOfDay % 1_000_000 != 0 {
            text.write(".")
            text.write(microsOfDay % 1_000_000, digits: 6)
        }
        text.write("Z")
        return (text.count, year)
    }

    /// Parses `YYYY-MM-DD[T ]HH:MM:SS[.fraction][Z|±HH[:MM]]`; a missing offset means UTC.
    public static func parse(_ text: String) -> Date? {
        var text = text
        // Read from the string's own bytes: every timestamp of every row read goes through here.
        return text.withUTF8(parse(utf8:))
    }

    /// ``parse(_:)`` from the text's UTF-8 bytes: a row's timestamp is read from the bytes the
    /// database sent, with no `String` made for it.
    public static func parse(utf8: UnsafeBufferPointer<UInt8>) -> Date? {
        var scanner = DigitScanner(utf8)
        guard let year = scanner.number(digits: 4), scanner.skip("-"),
            let month = scanner.number(digits: 2), scanner.skip("-"),
            let day = scanner.number(digits: 2), scanner.skip("T") || scanner.skip(" "),
            let hour = scanner.number(digits: 2), scanner.skip(":"),
            let minute = scanner.number(digits: 2), scanner.skip(":"),
            let second = scanner.number(digits: 2),
            (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61
        else { return nil }
        var fraction = 0.0
        if scanner.skip(".") {
            var scale = 0.1
            while let digit = scanner.digit() {
                fraction += Double(digit) * scale
                scale /= 10
            }
        }
        var offsetSeconds = 0
        if scanner.skip("Z") || scanner.isAtEnd {
            offsetSeconds = 0
        } else {
            let sign: Int
            if scanner.skip("+") { sign = 1 } else if scanner.skip("-") { sign = -1 } else { return nil }
            guard let offsetHours = scanner.number(digits: 2) else { return nil }
            _ = scanner.skip(":")
            let offsetMinutes = scanner.number(digits: 2) ?? 0
            offsetSeconds = sign * (offsetHours * 3600 + offsetMinutes * 60)
        }
        guard scanner.isAtEnd else { return nil }
        let days = daysSinceEpoch(year: year, month: month, day: day)
        let seconds = Int64(days) * 86_400 + Int64(hour * 3600 + minute * 60 + second - offsetSeconds)
        return Date(timeIntervalSince1970: Double(seconds) + fraction)
    }

    /// Days from 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's `days_from_civil`).
    private static func daysSinceEpoch(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The inverse of ``daysSinceEpoch(year:month:day:)`` (Howard Hinnant's `civil_from_days`).
    private static func civilDate(fromDaysSinceEpoch days: Int64) -> (Int64, Int64, Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}

extension Int64 {
    /// Division rounding towards negative infinity, with a non-negative remainder.
    fileprivate func floorDivided(by divisor: Int64) -> (quotient: Int64, remainder: Int64) {
        let (quotient, remainder) = quotientAndRemainder(dividingBy: divisor)
        return remainder < 0 ? (quotient - 1, remainder + divisor) : (quotient, remainder)
    }
}

/// Writes ASCII digits and punctuation into UTF-8 text, front to back.
private struct DigitWriter {
    private let buffer: UnsafeMutableBufferPointer<UInt8>
    /// The bytes written so far.
    private(set) var count = 0

    init(_ buffer: UnsafeMutableBufferPointer<UInt8>) {
        self.buffer = buffer
    }

    mutating func write(_ character: Unicode.Scalar) {
        buffer[count] = UInt8(ascii: character)
        count += 1
    }

    /// The non-negative `value`'s last `width` decimal digits, zero-padded.
    mutating func write(_ value: Int64, digits width: Int) {
        var rest = value
        for index in stride(from: count + width - 1, through: count, by: -1) {
            buffer[index] = UInt8(ascii: "0") + UInt8(rest % 10)
            rest /= 10
        }
        count += width
    }
}

/// Reads ASCII digits and punctuation from UTF-8 text, front to back.
private struct DigitScanner {
    private let bytes: UnsafeBufferPointer<UInt8>
    private var position = 0

    init(_ bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    var isAtEnd: Bool { position == bytes.count }

    private var next: UInt8? { isAtEnd ? nil : bytes[position] }

    mutating func skip(_ character: Unicode.Scalar) -> Bool {
        guard next == UInt8(ascii: character) else { return false }
        position += 1
        return true
    }

    mutating func digit() -> Int? {
        guard let byte = next, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else { return nil }
        position += 1
        return Int(byte - UInt8(ascii: "0"))
    }

    mutating func number(digits count: Int) -> Int? {
        var value = 0
        for _ in 0..<count {
            guard let digit = digit() else { return nil }
            value = value * 10 + digit
        }
        return value
    }
}
