import Foundation
import TernPrimitives

/// HTTP dates (RFC 9110 5.6.7): `Last-Modified`, `If-Modified-Since`, `If-Range`. Written in the
/// IMF-fixdate form; read in that form only, as the obsolete ones are no longer sent (a date that
/// does not parse is ignored, as the RFC asks).
enum HTTPDate {
    static func format(_ date: Date) -> String {
        date.formatted(Date.VerbatimFormatStyle(format: imfFixdate, locale: posix, timeZone: gmt, calendar: gregorian))
    }

    static func parse(_ text: String) -> Date? {
        let strategy = Date.ParseStrategy(format: imfFixdate, locale: posix, timeZone: gmt, calendar: gregorian)
        return try? Date(text.trimmingWhitespaces(), strategy: strategy)
    }

    /// `Sun, 06 Nov 1994 08:49:37 GMT`
    private static let imfFixdate: Date.FormatString =
        "\(weekday: .abbreviated), \(day: .twoDigits) \(month: .abbreviated) \(year: .padded(4)) \(hour: .twoDigits(clock: .twentyFourHour, hourCycle: .zeroBased)):\(minute: .twoDigits):\(second: .twoDigits) GMT"
    private static let posix = Locale(identifier: "en_US_POSIX")
    private static let gmt = TimeZone(identifier: "GMT")!
    private static let gregorian = Calendar(identifier: .gregorian)
}
