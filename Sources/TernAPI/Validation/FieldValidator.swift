/// A rule of one schema field beyond its type and bounds, pydantic's `field_validator`: it runs
/// once the field's own rules hold, may normalise the value, and its ``ValueError`` joins the
/// request's 422 list as `value_error` ("Value error, ...") at the field.
///
/// ```swift
/// enum StrongPassword: FieldValidator {
///     static func validate(_ password: String) throws(ValueError) -> String {
///         guard password.contains(where: { !$0.isLetter }) else { throw ValueError("the password needs a digit or a symbol") }
///         return password
///     }
/// }
///
/// @Schema
/// struct UserRegister {
///     @Field(minLength: 8, validators: [StrongPassword.self]) var password: String
/// }
/// ```
///
/// Rules across fields (a password and its confirmation) go in the schema's `validate()` instead.
public protocol FieldValidator {
    associatedtype Value
    /// The value, possibly normalised; throws when it breaks the rule.
    static func validate(_ value: Value) throws(ValueError) -> Value
}

/// A broken custom rule: pydantic's `ValueError`, reported as `value_error` with "Value error, "
/// before the message.
public struct ValueError: Error, Sendable, Equatable {
    public let message: String

    public init(_ message: String) {
        self.message = message
    }
}

/// Runs a field validator on a valid value; called by the code `@Schema` writes.
public func validated<Validator: FieldValidator>(
    _ value: Validator.Value?, by validator: Validator.Type, at location: IssueLocation, input: JSONValue,
    issues: inout ValidationIssues
) -> Validator.Value? {
    guard let value else { return nil }
    do {
        return try Validator.validate(value)
    } catch {
        issues.report(.valueErrorRaised(error.message), at: location, input: input)
        return nil
    }
}

/// Runs a schema's own `validate()` once every field is valid; called by the code `@Schema` writes.
/// Its error is reported at the object, with the whole object as input, as pydantic reports a
/// `model_validator`'s.
public func validatedModel(
    _ validate: () throws(ValueError) -> Void, at location: IssueLocation, input: JSONObject, issues: inout ValidationIssues
) -> Bool {
    do {
        try validate()
        return true
    } catch {
        issues.report(.valueErrorRaised(error.message), at: location, input: .object(input))
        return false
    }
}
