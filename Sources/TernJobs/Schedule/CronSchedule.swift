import Foundation

/// A five-field cron expression (minute, hour, day of month, month, day of week), evaluated in UTC:
/// `*`, lists (`1,15`), ranges (`9-17`), steps (`*/5`, `10-50/10`), and the names `jan`...`dec`,
/// `sun`...`sat`. As in Vixie cron, when both day fields are restricted a day matching either runs.
public struct CronSchedule: Sendable, Hashable {
    /// A cron expression that does not parse; says which field and why.
    public struct InvalidExpression: Error, CustomStringConvertible {
        public let description: String
    }

    let minutes: Set<Int>
    let hours: Set<Int>
    let daysOfMonth: Set<Int>
    let months: Set<Int>
    let daysOfWeek: Set<Int>
    let daysOfMonthRestricted: Bool
    let daysOfWeekRestricted: Bool

    public init(_ expression: String) throws(InvalidExpression) {
        let fields = expression.split(whereSeparator: \.isWhitespace).map(String.init)
        guard fields.count == 5 else {
            throw InvalidExpression(description: "a cron expression has five fields, '\(expression)' has \(fields.count)")
        }
        minutes = try Self.parse(fields[0], field: "minute", range: 0...59)
        hours = try Self.parse(fields[1], field: "hour", range: 0...23)
        daysOfMonth = try Self.parse(fields[2], field: "day of month", range: 1...31)
        months = try Self.parse(fields[3], field: "month", range: 1...12, names: Self.monthNames)
        // 7 is Sunday too.
        daysOfWeek = Set(try Self.parse(fields[4], field: "day of week", range: 0...7, names: Self.dayNames).map { $0 % 7 })
        daysOfMonthRestricted = fields[2] != "*"
        daysOfWeekRestricted = fields[4] != "*"
    }

    /// Whether the minute starting at `date` is a tick.
    public func matches(_ date: Date) -> Bool {
        let parts = Self.calendar.dateComponents([.minute, .hour, .day, .month, .weekday], from: date)
        guard let minute = parts.minute, let hour = parts.hour, let day = parts.day, let month = parts.month,
            let weekday = parts.weekday
        else { return false }
        guard minutes.contains(minute), hours.contains(hour), months.contains(month) else { return false }
        let dayOfMonthMatches = daysOfMonth.contains(day)
        let dayOfWeekMatches = daysOfWeek.contains(weekday - 1)
        if daysOfMonthRestricted && daysOfWeekRestricted { return dayOfMonthMatches || dayOfWeekMatches }
        return dayOfMonthMatches && dayOfWeekMatches
    }

    /// The first tick strictly after `date`, within the next five years (`nil` for an expression
    /// that never matches, such as February 30th).
    public func nextTick(after date: Date) -> Date? {
        var minute = (date.timeIntervalSince1970 / 60).rounded(.down) * 60 + 60
        let limit = minute + 5 * 366 * 86_400
        while minute < limit {
            let candidate = Date(timeIntervalSince1970: minute)
            if matches(candidate) { return candidate }
            minute += 60
        }
        return nil
    }

    // MARK: Parsing

    private static let calendar: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar
    }()

    private static let monthNames = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
        .enumerated().reduce(into: [String: Int]()) { $0[$1.element] = $1.offset + 1 }
    private static let dayNames = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"]
        .enumerated().reduce(into: [String: Int]()) { $0[$1.element] = $1.offset }

    private static func parse(
        _ text: String, field: String, range: ClosedRange<Int>, names: [String: Int] = [:]
    ) throws(InvalidExpression) -> Set<Int> {
        var values = Set<Int>()
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            let pieces = part.split(separator: "/", omittingEmptySubsequences: false)
            guard pieces.count <= 2 else { throw InvalidExpression(description: "\(field): '\(part)' has two steps") }
            var step = 1
            if pieces.count == 2 {
                guard let parsed = Int(pieces[1]), parsed > 0 else {
                    throw InvalidExpression(description: "\(field): the step in '\(part)' is not a positive number")
                }
                step = parsed
            }
            let bounds: ClosedRange<Int>
            if pieces[0] == "*" {
                bounds = range
            } else {
                let ends = pieces[0].split(separator: "-", omittingEmptySubsequences: false)
                guard ends.count <= 2 else { throw InvalidExpression(description: "\(field): '\(part)' is not a range") }
                let low = try value(String(ends[0]), field: field, range: range, names: names)
                // "5/15" means from 5 to the end, every 15.
                let high =
                    ends.count == 2
                    ? try value(String(ends[1]), field: field, range: range, names: names) : (pieces.count == 2 ? range.upperBound : low)
                guard low <= high else { throw InvalidExpression(description: "\(field): '\(part)' runs backwards") }
                bounds = low...high
            }
            values.formUnion(stride(from: bounds.lowerBound, through: bounds.upperBound, by: step))
        }
        return values
    }

    private static func value(
        _ text: String, field: String, range: ClosedRange<Int>, names: [String: Int]
    ) throws(InvalidExpression) -> Int {
        if let named = names[text.lowercased()] { return named }
        guard let number = Int(text), range.contains(number) else {
            throw InvalidExpression(description: "\(field): '\(text)' is not in \(range.lowerBound)-\(range.upperBound)")
        }
        return number
    }
}
