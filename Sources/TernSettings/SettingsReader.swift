import Foundation

/// Reads typed settings from environment variables and a `.env` file, where the environment wins,
/// and collects every problem instead of stopping at the first, so that a misconfigured service
/// reports all of them at once, one line each.
///
/// ```swift
/// var reader = SettingsReader(environment: environment, dotEnv: dotEnv)
/// let port = reader.integer("PORT", default: 8000, in: 1...65535)
/// let url = reader.parsed("DATABASE_URL", default: "sqlite://data/app.sqlite", DatabaseURL.init)
/// try reader.finish()   // throws SettingsError listing every problem
/// ```
///
/// Values marked `secret` are never quoted in problems.
///
/// Each typed read notes its default in ``defaults``, so that an example file of the settings (a
/// `.env.example`) can be checked against the code instead of kept beside it by hand.
public struct SettingsReader {
    private let values: [String: String]
    /// Problems found so far, one line each, prefixed with the variable name.
    public private(set) var problems: [String] = []
    /// The default of each setting read so far, written as a `.env` file writes it: a number of
    /// seconds for a duration, a list comma-separated, nothing for a setting without one.
    public private(set) var defaults: [String: String] = [:]

    /// Layers the environment over the `.env` variables.
    public init(environment: [String: String], dotEnv: [String: String] = [:]) {
        self.values = dotEnv.merging(environment) { _, fromEnvironment in fromEnvironment }
    }

    /// Records a problem found while checking a combination of settings.
    public mutating func report(_ key: String, _ problem: String) {
        problems.append("\(key): \(problem)")
    }

    /// Whether the variable is set at all, even to the empty string (which can mean "off").
    public func isSet(_ key: String) -> Bool {
        values[key] != nil
    }

    /// The raw value, if the variable is set to something other than the empty string.
    public func raw(_ key: String) -> String? {
        guard let value = values[key], !value.isEmpty else { return nil }
        return value
    }

    // MARK: Typed values

    /// A string.
    public mutating func string(_ key: String, default defaultValue: String) -> String {
        defaults[key] = defaultValue
        return raw(key) ?? defaultValue
    }

    /// A string that may be absent.
    public mutating func optionalString(_ key: String) -> String? {
        defaults[key] = ""
        return raw(key)
    }

    /// A whole number within `range`.
    public mutating func integer(_ key: String, default defaultValue: Int, in range: ClosedRange<Int>) -> Int {
        defaults[key] = String(defaultValue)
        guard let text = raw(key) else { return defaultValue }
        guard let value = Int(text) else {
            report(key, "expected a whole number, got '\(text)'")
            return defaultValue
        }
        guard range.contains(value) else {
            report(key, "must be between \(range.lowerBound) and \(range.upperBound), got \(value)")
            return defaultValue
        }
        return value
    }

    /// A number of seconds, whole or fractional, within `range` (to the millisecond).
    public mutating func seconds(_ key: String, default defaultValue: Duration, in range: ClosedRange<Double>) -> Duration {
        defaults[key] = Self.secondsText(defaultValue)
        guard let text = raw(key) else { return defaultValue }
        guard let value = Double(text), range.contains(value) else {
            report(key, "expected a number of seconds between \(range.lowerBound) and \(range.upperBound), got '\(text)'")
            return defaultValue
        }
        return .milliseconds(Int64(value * 1000))
    }

    /// A boolean: `true`/`false`, `1`/`0`, `yes`/`no`, `on`/`off`, in any case.
    public mutating func boolean(_ key: String, default defaultValue: Bool) -> Bool {
        defaults[key] = String(defaultValue)
        guard let text = raw(key) else { return defaultValue }
        switch text.lowercased() {
        case "true", "1", "yes", "on": return true
        case "false", "0", "no", "off": return false
        default:
            report(key, "expected true or false, got '\(text)'")
            return defaultValue
        }
    }

    /// One of an enumeration's raw values.
    public mutating func choice<T: RawRepresentable & CaseIterable>(_ key: String, default defaultValue: T) -> T
    where T.RawValue == String {
        defaults[key] = defaultValue.rawValue
        guard let text = raw(key) else { return defaultValue }
        guard let value = T(rawValue: text) else {
            let choices = T.allCases.map(\.rawValue).joined(separator: ", ")
            report(key, "expected one of \(choices), got '\(text)'")
            return defaultValue
        }
        return value
    }

    /// A comma-separated list; blank entries are dropped.
    public mutating func list(_ key: String, default defaultValue: [String] = []) -> [String] {
        defaults[key] = defaultValue.joined(separator: ",")
        guard let text = raw(key) else { return defaultValue }
        return text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// A value converted by `parse`, which throws an error whose description says what is wrong.
    /// Returns `nil` (and records the problem) when the conversion fails.
    public mutating func parsed<T>(
        _ key: String, default defaultValue: String, secret: Bool = false, _ parse: (String) throws -> T
    ) -> T? {
        defaults[key] = defaultValue
        let text = raw(key) ?? defaultValue
        do {
            return try parse(text)
        } catch {
            // A parser's error may quote the text, which must not reach a log for a secret.
            report(key, secret ? "invalid value" : "\(error)")
            return nil
        }
    }

    /// `duration` as a `.env` file writes it: seconds, with a fraction only when it has one.
    private static func secondsText(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        guard attoseconds != 0 else { return String(seconds) }
        return String(Double(seconds) + Double(attoseconds) / 1e18)
    }

    /// Throws every recorded problem, if there are any.
    public func finish() throws(SettingsError) {
        guard problems.isEmpty else { throw SettingsError(problems: problems) }
    }
}

/// Settings that cannot be used, one problem per line.
public struct SettingsError: Error, CustomStringConvertible {
    /// Each problem, prefixed with its variable name.
    public let problems: [String]

    public init(problems: [String]) {
        self.problems = problems
    }

    public var description: String { problems.joined(separator: "\n") }
}
