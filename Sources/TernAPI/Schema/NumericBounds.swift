import Foundation
import OpenAPIKit
import TernPrimitives

/// Checks `gt`/`ge`/`lt`/`le` and describes them in schemas.
enum NumericBounds {
    static func check(
        _ value: Double, integral: Bool, options: FieldOptions, at location: IssueLocation, input: JSONValue, issues: inout ValidationIssues
    ) -> Bool {
        func bound(_ limit: Double) -> IssueKind.Bound {
            integral ? .integer(Int64(limit)) : .double(limit)
        }
        var valid = true
        if let gt = options.gt, !(value > gt) {
            issues.report(.greaterThan(bound(gt)), at: location, input: input)
            valid = false
        }
        if let ge = options.ge, !(value >= ge) {
            issues.report(.greaterThanEqual(bound(ge)), at: location, input: input)
            valid = false
        }
        if let lt = options.lt, !(value < lt) {
            issues.report(.lessThan(bound(lt)), at: location, input: input)
            valid = false
        }
        if let le = options.le, !(value <= le) {
            issues.report(.lessThanEqual(bound(le)), at: location, input: input)
            valid = false
        }
        return valid
    }

    static func minimum(_ options: FieldOptions) -> (Double, exclusive: Bool)? {
        if let gt = options.gt { return (gt, exclusive: true) }
        if let ge = options.ge { return (ge, exclusive: false) }
        return nil
    }

    static func maximum(_ options: FieldOptions) -> (Double, exclusive: Bool)? {
        if let lt = options.lt { return (lt, exclusive: true) }
        if let le = options.le { return (le, exclusive: false) }
        return nil
    }
}

/// pydantic's lax reading of integers from strings: surrounding whitespace is ignored and a zero
/// fraction is allowed (`" 1 "`, `"1.0"`), anything else is not (`"1.5"`, `""`).
enum NumberText {
    static func integer(_ text: String) -> Int? {
        let trimmed = text.trimmingWhitespaces()
        if let integer = Int(trimmed) { return integer }
        if let dot = trimmed.firstIndex(of: "."), !trimmed[trimmed.index(after: dot)...].isEmpty,
            trimmed[trimmed.index(after: dot)...].allSatisfy({ $0 == "0" }),
            let integer = Int(trimmed[..<dot])
        {
            return integer
        }
        return nil
    }
}
