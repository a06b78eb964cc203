/// Field reading used by the code `@Schema` generates.
extension JSONObject {
    /// A required field: absent is a `missing` issue.
    public func field<T: APIValue>(
        _ key: String, _ type: T.Type, options: FieldOptions, at location: IssueLocation, issues: inout ValidationIssues
    ) -> T? {
        guard let value = self[key] else {
            issues.report(.missing, at: location + key, input: .object(self))
            return nil
        }
        return T.validate(value, at: location + key, options: options, issues: &issues)
    }

    /// A field with a default: absent takes the default.
    public func field<T: APIValue>(
        _ key: String, _ type: T.Type, options: FieldOptions, default defaultValue: @autoclosure () -> T,
        at location: IssueLocation, issues: inout ValidationIssues
    ) -> T? {
        guard let value = self[key] else { return defaultValue() }
        return T.validate(value, at: location + key, options: options, issues: &issues)
    }
}
