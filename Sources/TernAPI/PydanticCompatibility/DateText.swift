import Foundation
import TernPrimitives

/// Reads and writes datetimes as pydantic does: ISO 8601 with or without an offset (treated as UTC),
/// a date alone, or a number of seconds since 1970 (milliseconds past ±2e10); written as
/// `2026-11-23T14:08:52.123456Z`, or `2026-11-23T14:08:52Z` when the fraction is zero.
enum DateText {
    struct Failure: Error {
        let message: String
    }

    /// Unix seconds from 0001-01-01 (`-62135596800`) to the end of 9999 (`253402300800`, excluded):
    /// the datetimes pydantic (and Python) can hold.
    private static let earliestSeconds = -62_135_596_800.0
    private static let endSeconds = 253_402_300_800.0
    /// The start of year 0, below which pydantic reports dates "before 0000" rather than "year 0".
    private static let yearZeroSeconds = -62_167_219_200.0

    /// A number as pydantic reads it for a datetime: seconds since 1970, or milliseconds when its
    /// magnitude is above 2e10; refused outside what a datetime holds, never trapped on.
    static func fromTimestamp(_ number: Double) -> Result<Date, Failure> {
        guard !number.isNaN else { return .failure(Failure(message: "NaN values not permitted")) }
        let seconds = abs(number) > 2e10 ? number / 1000 : number
        if seconds >= endSeconds {
            return .failure(Failure(message: "dates after 9999 are not supported as unix timestamps"))
        }
        if seconds < yearZeroSeconds {
            return .failure(Failure(message: "dates before 0000 are not supported as unix timestamps"))
        }
        if seconds < earliestSeconds { return .failure(Failure(message: "year 0 is out of range")) }
        // Whole seconds rounded down, the fraction's magnitude rounded to microseconds, as pydantic-core.
        let whole = seconds.rounded(.down)
        let microseconds = (abs(seconds - seconds.rounded(.towardZero)) * 1_000_000).rounded()
        return .success(Date(timeIntervalSince1970: whole + microseconds / 1_000_000))
    }

    static func parse(_ text: String) -> Result<Date, Failure> {
        if text.count < 10 { return .failure(Failure(message: "input is too short")) }
        let date = text.count == 10 ? text + "T00:00:00Z" : text
        if let parsed = ISO8601Timestamp.parse(date) { return .success(parsed) }
        let parts = text.prefix(10).split(separator: "-")
        if parts.count == 3, let month = Int(parts[1]), !(1...12).contains(month) {
            return .failure(Failure(message: "month value is outside expected range of 1-12"))
        }
        if parts.count == 3, let day = Int(parts[2]), !(1...31).contains(day) {
            return .failure(Failure(message: "day value is outside expected range"))
        }
        return .failure(Failure(message: "invalid datetime format"))
    }

    /// pydantic's JSON form. (Stored timestamps keep their fixed width, so that text order is time order.)
    static func format(_ date: Date) -> String {
        ISO8601Timestamp.format(date, omittingZeroFraction: true)
    }
}
