/// The validation errors this layer reports, with pydantic v2's type names, messages and context
/// (checked against FastAPI 0.115 / pydantic 2.14 in the tests' fixtures).
public enum IssueKind: Sendable {
    case missing
    case stringType
    case stringTooShort(minLength: Int)
    case stringTooLong(maxLength: Int)
    case stringPatternMismatch(pattern: String)
    case intType
    case intParsing
    case intFromFloat
    case floatType
    case floatParsing
    case boolType
    case boolParsing
    case uuidType
    case uuidParsing(String)
    case datetimeType
    /// A number that is no datetime (out of range, NaN).
    case datetimeParsing(String)
    /// Text that is neither a datetime nor a date.
    case datetimeFromDateParsing(String)
    case greaterThan(Bound)
    case greaterThanEqual(Bound)
    case lessThan(Bound)
    case lessThanEqual(Bound)
    case valueError(reason: String, message: String)
    /// A custom rule's ``ValueError`` (a ``FieldValidator``, a schema's `validate()`).
    case valueErrorRaised(String)
    case urlType
    case urlParsing(error: String)
    case urlScheme
    case urlTooLong(maxLength: Int)
    case enumeration(expected: [String])
    case listType
    case tooShort(minLength: Int, actual: Int)
    case tooLong(maxLength: Int, actual: Int)
    case modelAttributesType
    case jsonInvalid(error: String)

    /// A numeric bound as pydantic shows it: integral bounds on integer fields print as integers,
    /// bounds on float fields keep a float in `ctx` but print without `.0` in the message.
    public enum Bound: Sendable {
        case integer(Int64)
        case double(Double)

        var text: String {
            switch self {
            case .integer(let value): String(value)
            case .double(let value):
                value.rounded() == value && abs(value) < 1e15 ? String(Int64(value)) : "\(value)"
            }
        }

        var json: JSONValue {
            switch self {
            case .integer(let value): .integer(value)
            case .double(let value): .double(value)
            }
        }
    }

    public func issue(at location: IssueLocation, input: JSONValue) -> ValidationIssue {
        let (type, message, context) = describe()
        return ValidationIssue(type: type, location: location, message: message, input: input, context: context)
    }

    private func describe() -> (String, String, JSONObject?) {
        switch self {
        case .missing:
            return ("missing", "Field required", nil)
        case .stringType:
            return ("string_type", "Input should be a valid string", nil)
        case .stringTooShort(let minLength):
            return (
                "string_too_short", "String should have at least \(minLength) character\(minLength == 1 ? "" : "s")",
                ["min_length": .integer(Int64(minLength))]
            )
        case .stringTooLong(let maxLength):
            return (
                "string_too_long", "String should have at most \(maxLength) character\(maxLength == 1 ? "" : "s")",
                ["max_length": .integer(Int64(maxLength))]
            )
        case .stringPatternMismatch(let pattern):
            return ("string_pattern_mismatch", "String should match pattern '\(pattern)'", ["pattern": .string(pattern)])
        case .intType:
            return ("int_type", "Input should be a valid integer", nil)
        case .intParsing:
            return ("int_parsing", "Input should be a valid integer, unable to parse string as an integer", nil)
        case .intFromFloat:
            return ("int_from_float", "Input should be a valid integer, got a number with a fractional part", nil)
        case .floatType:
            return ("float_type", "Input should be a valid number", nil)
        case .floatParsing:
            return ("float_parsing", "Input should be a valid number, unable to parse string as a number", nil)
        case .boolType:
            return ("bool_type", "Input should be a valid boolean", nil)
        case .boolParsing:
            return ("bool_parsing", "Input should be a valid boolean, unable to interpret input", nil)
        case .uuidType:
            return ("uuid_type", "UUID input should be a string, bytes or UUID object", nil)
        case .uuidParsing(let error):
            return ("uuid_parsing", "Input should be a valid UUID, \(error)", ["error": .string(error)])
        case .datetimeType:
            return ("datetime_type", "Input should be a valid datetime", nil)
        case .datetimeParsing(let error):
            return ("datetime_parsing", "Input should be a valid datetime, \(error)", ["error": .string(error)])
        case .datetimeFromDateParsing(let error):
            return ("datetime_from_date_parsing", "Input should be a valid datetime or date, \(error)", ["error": .string(error)])
        case .greaterThan(let bound):
            return ("greater_than", "Input should be greater than \(bound.text)", ["gt": bound.json])
        case .greaterThanEqual(let bound):
            return ("greater_than_equal", "Input should be greater than or equal to \(bound.text)", ["ge": bound.json])
        case .lessThan(let bound):
            return ("less_than", "Input should be less than \(bound.text)", ["lt": bound.json])
        case .lessThanEqual(let bound):
            return ("less_than_equal", "Input should be less than or equal to \(bound.text)", ["le": bound.json])
        case .valueError(let reason, let message):
            return ("value_error", message, ["reason": .string(reason)])
        case .valueErrorRaised(let message):
            // FastAPI writes the exception in `ctx` as an empty object.
            return ("value_error", "Value error, \(message)", ["error": .object([:])])
        case .urlType:
            return ("url_type", "URL input should be a string or URL", nil)
        case .urlParsing(let error):
            return ("url_parsing", "Input should be a valid URL, \(error)", ["error": .string(error)])
        case .urlScheme:
            return ("url_scheme", "URL scheme should be 'http' or 'https'", ["expected_schemes": "'http' or 'https'"])
        case .urlTooLong(let maxLength):
            return ("url_too_long", "URL should have at most \(maxLength) characters", ["max_length": .integer(Int64(maxLength))])
        case .enumeration(let expected):
            let quoted = expected.map { "'\($0)'" }
            let text =
                quoted.count > 1 ? quoted.dropLast().joined(separator: ", ") + " or " + quoted.last! : quoted.first ?? ""
            return ("enum", "Input should be \(text)", ["expected": .string(text)])
        case .listType:
            return ("list_type", "Input should be a valid list", nil)
        case .tooShort(let minLength, let actual):
            return (
                "too_short",
                "List should have at least \(minLength) item\(minLength == 1 ? "" : "s") after validation, not \(actual)",
                ["field_type": "List", "min_length": .integer(Int64(minLength)), "actual_length": .integer(Int64(actual))]
            )
        case .tooLong(let maxLength, let actual):
            return (
                "too_long",
                "List should have at most \(maxLength) item\(maxLength == 1 ? "" : "s") after validation, not \(actual)",
                ["field_type": "List", "max_length": .integer(Int64(maxLength)), "actual_length": .integer(Int64(actual))]
            )
        case .modelAttributesType:
            return ("model_attributes_type", "Input should be a valid dictionary or object to extract fields from", nil)
        case .jsonInvalid(let error):
            return ("json_invalid", "JSON decode error", ["error": .string(error)])
        }
    }
}
