import Foundation
import TernDatabase

/// Reads and writes datetimes as pydantic does: ISO 8601 with or without an offset (treated as UTC),
/// or a date alone; written as `2026-11-23T14:08:52.123456Z`, or `2026-11-23T14:08:52Z` when the
/// fraction is zero.
enum DateText {
    struct Failure: Error {
        let message: String
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
        let text = ISO8601Timestamp.format(date)
        return text.hasSuffix(".000000Z") ? text.dropLast(".000000Z".count) + "Z" : text
    }
}
