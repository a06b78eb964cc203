import Foundation
import OpenAPIKit
import TernPrimitives

extension String: APIValue {
    public static func validate(
        _ input: JSONValue, at location: IssueLocation, options: FieldOptions, issues: inout ValidationIssues
    ) -> String? {
        guard case .string(var string) = input else {
            issues.report(.stringType, at: location, input: input)
            return nil
        }
        if options.format == .email {
            switch EmailAddress.validate(string) {
            case .success(let normalized): string = normalized
            case .failure(let reason):
                issues.report(
                    .valueError(reason: reason.text, message: "value is not a valid email address: \(reason.text)"),
                    at: location, input: input)
                return nil
            }
        }
        let length = string.unicodeScalars.count
        var valid = true
        if let minLength = options.minLength, length < minLength {
            issues.report(.stringTooShort(minLength: minLength), at: location, input: input)
            valid = false
        }
        if let maxLength = options.maxLength, length > maxLength, options.format != .email || valid {
            issues.report(.stringTooLong(maxLength: maxLength), at: location, input: input)
            valid = false
        }
        if valid, let regex = options.regex, let pattern = options.pattern,
            regex.firstMatch(in: string, range: NSRange(string.startIndex..., in: string)) == nil
        {
            issues.report(.stringPatternMismatch(pattern: pattern), at: location, input: input)
            valid = false
        }
        return valid ? string : nil
    }

    public static func jsonSchema(options: FieldOptions, components: inout SchemaComponents) -> JSONSchema {
        options.apply(
            to: .string(
                format: options.format.map { JSONTypeFormat.StringFormat(rawValue: $0.rawValue) } ?? .unspecified,
                deprecated: options.deprecatedFlag, title: options.title, minLength: options.minLength,
                maxLength: options.maxLength, pattern: options.pattern))
    }

    public func writeJSON(to writer: inout JSONWriter) {
        writer.string(self)
    }
}

extension Int: APIValue {
    public static func validate(
        _ input: JSONValue, at location: IssueLocation, options: FieldOptions, issues: inout ValidationIssues
    ) -> Int? {
        let value: Int
        switch input {
        case .integer(let integer):
            guard let exact = Int(exactly: integer) else {
                issues.report(.intParsing, at: location, input: input)
                return nil
            }
            value = exact
        case .double(let double):
            guard let exact = Int(exactly: double) else {
                issues.report(.intFromFloat, at: location, input: input)
                return nil
            }
            value = exact
        case .bool(let bool):
            value = bool ? 1 : 0
        case .string(let string):
            guard let parsed = NumberText.integer(string) else {
                issues.report(.intParsing, at: location, input: input)
                return nil
            }
            value = parsed
        default:
            issues.report(.intType, at: location, input: input)
            return nil
        }
        return NumericBounds.check(Double(value), integral: true, options: options, at: location, input: input, issues: &issues)
            ? value : nil
    }

    public static func jsonSchema(options: FieldOptions, components: inout SchemaComponents) -> JSONSchema {
        options.apply(
            to: .integer(
                deprecated: options.deprecatedFlag, title: options.title,
                maximum: NumericBounds.maximum(options).map { (Int($0.0), exclusive: $0.exclusive) },
                minimum: NumericBounds.minimum(options).map { (Int($0.0), exclusive: $0.exclusive) }))
    }

    public func writeJSON(to writer: inout JSONWriter) {
        writer.integer(self)
    }
}

extension Double: APIValue {
    public static func validate(
        _ input: JSONValue, at location: IssueLocation, options: FieldOptions, issues: inout ValidationIssues
    ) -> Double? {
        let value: Double
        switch input {
        case .integer(let integer): value = Double(integer)
        case .double(let double): value = double
        case .bool(let bool): value = bool ? 1 : 0
        case .string(let string):
            guard let parsed = Double(string.trimmingWhitespaces()) else {
                issues.report(.floatParsing, at: location, input: input)
                return nil
            }
            value = parsed
        default:
            issues.report(.floatType, at: location, input: input)
            return nil
        }
        return NumericBounds.check(value, integral: false, options: options, at: location, input: input, issues: &issues)
            ? value : nil
    }

    public static func jsonSchema(options: FieldOptions, components: inout SchemaComponents) -> JSONSchema {
        options.apply(
            to: .number(
                deprecated: options.deprecatedFlag, title: options.title, maximum: NumericBounds.maximum(options),
                minimum: NumericBounds.minimum(options)))
    }

    public func writeJSON(to writer: inout JSONWriter) {
        writer.double(self)
    }
}

extension Bool: APIValue {
    public static func validate(
        _ input: JSONValue, at location: IssueLocation, options: FieldOptions, issues: inout ValidationIssues
    ) -> Bool? {
        switch input {
        case .bool(let bool):
            return bool
        case .integer(0), .double(0):
            return false
        case .integer(1), .double(1):
            return true
        case .string(let string):
            switch string.trimmingWhitespaces().lowercased() {
            case "1", "on", "t", "true", "y", "yes": return true
            case "0", "off", "f", "false", "n", "no": return false
            default: break
            }
            issues.report(.boolParsing, at: location, input: input)
            return nil
        case .integer, .double:
            issues.report(.boolParsing, at: location, input: input)
            return nil
        default:
            issues.report(.boolType, at: location, input: input)
            return nil
        }
    }

    public static func jsonSchema(options: FieldOptions, components: inout SchemaComponents) -> JSONSchema {
        options.apply(to: .boolean(deprecated: options.deprecatedFlag, title: options.title))
    }

    public func writeJSON(to writer: inout JSONWriter) {
        writer.bool(self)
    }
}

extension UUID: APIValue {
    public static func validate(
        _ input: JSONValue, at location: IssueLocation, options: FieldOptions, issues: inout ValidationIssues
    ) -> UUID? {
        guard case .string(let string) = input else {
            issues.report(.uuidType, at: location, input: input)
            return nil
        }
        switch UUIDText.parse(string) {
        case .success(let uuid): return uuid
        case .failure(let error):
            issues.report(.uuidParsing(error.message), at: location, input: input)
            return nil
        }
    }

    public static func jsonSchema(options: FieldOptions, components: inout SchemaComponents) -> JSONSchema {
        options.apply(to: .string(format: .other("uuid"), deprecated: options.deprecatedFlag, title: options.title))
    }

    public func writeJSON(to writer: inout JSONWriter) {
        _ = writer.unescapedString(maximumCount: UUID.canonicalLength) { writeLowercased(into: $0) }
    }
}

extension Date: APIValue {
    public static func validate(
        _ input: JSONValue, at location: IssueLocation, options: FieldOptions, issues: inout ValidationIssues
    ) -> Date? {
        let parsed: Result<Date, DateText.Failure>
        let issue: (String) -> IssueKind
        switch input {
        case .integer(let seconds): (parsed, issue) = (DateText.fromTimestamp(Double(seconds)), IssueKind.datetimeParsing)
        case .double(let seconds): (parsed, issue) = (DateText.fromTimestamp(seconds), IssueKind.datetimeParsing)
        case .string(let string): (parsed, issue) = (DateText.parse(string), IssueKind.datetimeFromDateParsing)
        default:
            issues.report(.datetimeType, at: location, input: input)
            return nil
        }
        switch parsed {
        case .success(let date): return date
        case .failure(let error):
            issues.report(issue(error.message), at: location, input: input)
            return nil
        }
    }

    public static func jsonSchema(options: FieldOptions, components: inout SchemaComponents) -> JSONSchema {
        options.apply(to: .string(format: .dateTime, deprecated: options.deprecatedFlag, title: options.title))
    }

    public func writeJSON(to writer: inout JSONWriter) {
        let wrote = writer.unescapedString(maximumCount: ISO8601Timestamp.fixedLength) {
            ISO8601Timestamp.write(self, into: $0, omittingZeroFraction: true)
        }
        if !wrote { writer.string(DateText.format(self)) }
    }
}

extension JSONValue: APIValue {
    public static func validate(
        _ input: JSONValue, at location: IssueLocation, options: FieldOptions, issues: inout ValidationIssues
    ) -> JSONValue? {
        input
    }

    public static func jsonSchema(options: FieldOptions, components: inout SchemaComponents) -> JSONSchema {
        options.apply(to: .fragment(.init(deprecated: options.deprecatedFlag, title: options.title)))
    }

    public func writeJSON(to writer: inout JSONWriter) {
        writer.value(self)
    }
}

extension Optional: APIValue where Wrapped: APIValue {
    public static func validate(
        _ input: JSONValue, at location: IssueLocation, options: FieldOptions, issues: inout ValidationIssues
    ) -> Self? {
        if case .null = input { return .some(nil) }
        guard let value = Wrapped.validate(input, at: location, options: options, issues: &issues) else { return nil }
        return .some(value)
    }

    /// `anyOf: [<the type>, {"type": "null"}]`, as FastAPI writes optional fields. Constraints go on
    /// the type; what only documents the field (its title, description, example, and a format that
    /// annotates the field) goes on the whole.
    public static func jsonSchema(options: FieldOptions, components: inout SchemaComponents) -> JSONSchema {
        var inner = options
        (inner.description, inner.title, inner.example) = (nil, nil, nil)
        var outerFormat = JSONTypeFormat.AnyFormat.generic
        if let format = options.format, format.annotatesField {
            (outerFormat, inner.format) = (.other(format.rawValue), nil)
        }
        let wrapped = Wrapped.jsonSchema(options: inner, components: &components)
        return options.apply(to: .any(of: [wrapped, .null()], core: .init(format: outerFormat, title: options.title)))
    }

    public func writeJSON(to writer: inout JSONWriter) {
        if let self { self.writeJSON(to: &writer) } else { writer.null() }
    }

    public static var isList: Bool { Wrapped.isList }
}

extension Array: APIValue where Element: APIValue {
    public static var isList: Bool { true }

    public static func validate(
        _ input: JSONValue, at location: IssueLocation, options: FieldOptions, issues: inout ValidationIssues
    ) -> [Element]? {
        guard case .array(let elements) = input else {
            issues.report(.listType, at: location, input: input)
            return nil
        }
        var values: [Element] = []
        values.reserveCapacity(elements.count)
        var valid = true
        let elementsLocation = location.flattened()
        for (index, element) in elements.enumerated() {
            if let value = Element.validate(element, at: elementsLocation + index, options: options.items ?? .none, issues: &issues) {
                values.append(value)
            } else {
                valid = false
            }
        }
        if let minItems = options.minItems, elements.count < minItems {
            issues.report(.tooShort(minLength: minItems, actual: elements.count), at: location, input: input)
            valid = false
        }
        if let maxItems = options.maxItems, elements.count > maxItems {
            issues.report(.tooLong(maxLength: maxItems, actual: elements.count), at: location, input: input)
            valid = false
        }
        return valid ? values : nil
    }

    public static func jsonSchema(options: FieldOptions, components: inout SchemaComponents) -> JSONSchema {
        options.apply(
            to: .array(
                deprecated: options.deprecatedFlag, title: options.title, minItems: options.minItems, maxItems: options.maxItems,
                items: Element.jsonSchema(options: options.items ?? .none, components: &components)))
    }

    public func writeJSON(to writer: inout JSONWriter) {
        writer.beginArray()
        for element in self { element.writeJSON(to: &writer) }
        writer.endArray()
    }
}

extension Date {
    /// The date as the API writes it in JSON (Pydantic's form), for other formats of the same
    /// answers (a CSV export).
    public var apiText: String { DateText.format(self) }
}
