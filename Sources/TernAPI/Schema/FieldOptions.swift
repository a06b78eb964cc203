import Foundation

/// The constraints and documentation of one field or parameter, written once in its declaration:
///
/// ```swift
/// @Field(minLength: 8, maxLength: 128) var password: String
/// @Query(le: 1000) var limit: Int = 100
/// ```
///
/// The same options validate requests (reporting pydantic's errors) and describe the field in the
/// OpenAPI document.
public struct FieldOptions: Sendable {
    /// Shown in the API docs; a `///` doc comment on the property works too.
    public var description: String?
    /// String length bounds, in characters.
    public var minLength: Int?
    public var maxLength: Int?
    /// A regular expression the string must contain a match of (anchor it with `^...$` to match whole);
    /// compiled once, at init.
    public let pattern: String?
    /// A string format: `.email` is validated, the others are documentation.
    public var format: StringFormat?
    /// Numeric bounds: greater than, greater or equal, less than, less or equal.
    public var gt: Double?
    public var ge: Double?
    public var lt: Double?
    public var le: Double?
    /// List length bounds.
    public var minItems: Int?
    public var maxItems: Int?
    /// The rules of each item of a list (`FieldOptions(ge: 0, le: 10)`: pydantic's
    /// `list[Annotated[int, Field(ge=0, le=10)]]`).
    public var items: FieldOptions? {
        get { itemOptions.first }
        set { itemOptions = newValue.map { [$0] } ?? [] }
    }
    /// The item rules, in an array because a struct cannot hold itself.
    private var itemOptions: [FieldOptions] = []
    /// Marks the field deprecated in the docs.
    public var deprecated: Bool
    /// An example value for the docs.
    public var example: JSONValue?
    /// The title shown in the docs; set from the field name when a schema is built.
    public var title: String?

    let regex: NSRegularExpression?

    public init(
        description: String? = nil, minLength: Int? = nil, maxLength: Int? = nil,
        pattern: String? = nil, format: StringFormat? = nil, gt: Double? = nil, ge: Double? = nil, lt: Double? = nil,
        le: Double? = nil, minItems: Int? = nil, maxItems: Int? = nil, items: FieldOptions? = nil, deprecated: Bool = false,
        example: JSONValue? = nil
    ) {
        self.description = description
        self.minLength = minLength
        self.maxLength = maxLength
        self.pattern = pattern
        self.format = format
        self.gt = gt
        self.ge = ge
        self.lt = lt
        self.le = le
        self.minItems = minItems
        self.maxItems = maxItems
        self.itemOptions = items.map { [$0] } ?? []
        self.deprecated = deprecated
        self.example = example
        do {
            self.regex = try pattern.map { try NSRegularExpression(pattern: $0) }
        } catch {
            preconditionFailure("invalid pattern \(pattern ?? ""): \(error)")
        }
    }

    /// No constraints.
    public static let none = FieldOptions()

    /// These options with a title for the docs.
    public func titled(_ title: String) -> FieldOptions {
        var copy = self
        copy.title = title
        return copy
    }

    /// These options with a documentation text added, unless one is already set.
    public func documented(_ documentation: String?) -> FieldOptions {
        guard description == nil, let documentation else { return self }
        var copy = self
        copy.description = documentation
        return copy
    }
}

/// Formats a string field can declare.
public enum StringFormat: String, Sendable {
    /// Checked like pydantic's `EmailStr` (and normalised: the domain is lowercased).
    case email
    /// Shown as a password field in the docs.
    case password
    case uri
    case uuid
    case dateTime = "date-time"
    case binary

    /// Whether the format annotates the field rather than its type, as FastAPI's forms set the
    /// password format with `json_schema_extra`: on an optional field it documents the whole, not
    /// the non-null branch.
    var annotatesField: Bool { self == .password }
}
