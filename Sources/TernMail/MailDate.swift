import Foundation

extension Date {
    /// The date as a `Date` header writes it (RFC 5322 §3.3), in UTC: `Mon, 01 Dec 2025 14:37:05 +0000`.
    /// Spelled out by hand: the names must be English whatever the machine's locale.
    var mailHeaderText: String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let parts = calendar.dateComponents([.weekday, .day, .month, .year, .hour, .minute, .second], from: self)
        let weekdays = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        func twoDigits(_ value: Int?) -> String {
            let value = value ?? 0
            return value < 10 ? "0\(value)" : "\(value)"
        }
        return "\(weekdays[parts.weekday! - 1]), \(twoDigits(parts.day)) \(months[parts.month! - 1]) \(parts.year!) "
            + "\(twoDigits(parts.hour)):\(twoDigits(parts.minute)):\(twoDigits(parts.second)) +0000"
    }
}
