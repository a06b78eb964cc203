import Foundation
import TernPrimitives

/// A limit on how often something may happen: `count` per `period`, in the notation FastAPI users
/// know from slowapi and `limits` (`"5/minute"`, `"100 per hour"`, `"10/15 minutes"`).
///
/// Enforced as a generic cell rate algorithm (``GCRA``): `count` at once, then one every
/// `period / count`, so a burst is allowed but never more than `count` in any window of `period`.
public struct RateLimit: Sendable, Hashable, CustomStringConvertible {
    public let count: Int
    public let period: Duration
    /// After a key, where a limiter keeps its TAT under this limit (``GCRA/storageKey(_:_:)``).
    let storageSuffix: String

    public init(_ count: Int, per period: Duration) {
        precondition(count > 0 && period > .zero, "a rate limit admits at least one event per positive period")
        precondition(period / count >= .microseconds(1), "a rate limit admits at most one event per microsecond")
        self.count = count
        self.period = period
        storageSuffix = "|\(count)/\(period.wholeMicroseconds)"
    }

    /// The time each admitted event uses up: `period / count`.
    public var emissionInterval: Duration { period / count }

    public var description: String { "\(count) per \(period.components.seconds) seconds" }

    /// Parses one limit or several separated by `;`, `,` or `|` (`"10/second;100/minute"`: a burst and
    /// a sustained rate, all enforced). Units: second, minute, hour, day, month (30 days), year (360
    /// days), singular or plural, as the `limits` library reads them; `nil` for anything else, and
    /// for more than one event per microsecond (the limiters' resolution).
    public static func parseList(_ text: String) -> [RateLimit]? {
        let parts = text.split(omittingEmptySubsequences: false, whereSeparator: { ";,|".contains($0) })
        guard !parts.isEmpty else { return nil }
        var limits: [RateLimit] = []
        for part in parts {
            guard let limit = parse(part) else { return nil }
            limits.append(limit)
        }
        return limits
    }

    /// One limit: `<count>/<unit>`, `<count> per <unit>`, `<count>/<multiple> <unit>`.
    static func parse(_ text: Substring) -> RateLimit? {
        let lowered = text.lowercased().trimmingWhitespace
        let separated: (String, String)
        if let slash = lowered.firstIndex(of: "/") {
            separated = (String(lowered[..<slash]), String(lowered[lowered.index(after: slash)...]))
        } else if let per = lowered.range(of: " per ") {
            separated = (String(lowered[..<per.lowerBound]), String(lowered[per.upperBound...]))
        } else {
            return nil
        }
        guard let count = Int(separated.0.trimmingWhitespace), count > 0 else { return nil }
        var window = Substring(separated.1.trimmingWhitespace)
        let digits = window.prefix(while: \.isNumber)
        var multiple = 1
        if !digits.isEmpty {
            guard let value = Int(digits), value > 0 else { return nil }
            multiple = value
            window = window.dropFirst(digits.count)
        }
        guard let unit = unitSeconds[String(window.trimmingWhitespace)], count <= unit * multiple * 1_000_000 else { return nil }
        return RateLimit(count, per: .seconds(unit * multiple))
    }

    private static let unitSeconds: [String: Int] = {
        let units = ["second": 1, "minute": 60, "hour": 3600, "day": 86_400, "month": 30 * 86_400, "year": 360 * 86_400]
        var table: [String: Int] = [:]
        for (name, seconds) in units {
            table[name] = seconds
            table[name + "s"] = seconds
        }
        return table
    }()
}

extension StringProtocol {
    fileprivate var trimmingWhitespace: String {
        String(drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
    }
}
