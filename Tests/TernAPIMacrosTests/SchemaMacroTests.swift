import Testing

@Suite("@Schema expansion")
struct SchemaMacroTests {
    @Test("fields are validated together, written in order, and documented with their options")
    func expansion() {
        assertExpansion(
            """
            /// An item.
            @Schema
            struct ItemCreate {
                /// The title.
                @Field(minLength: 1, maxLength: 255) var title: String
                var description: String?
                var `default`: Int = 3
            }
            """,
            expandedSource: """
                /// An item.
                struct ItemCreate {
                    /// The title.
                    var title: String
                    var description: String?
                    var `default`: Int = 3
                }

                extension ItemCreate: TernAPI.APISchema {
                    static var schemaName: String {
                        "ItemCreate"
                    }
                    private static let __options_title = TernAPI.FieldOptions(minLength: 1, maxLength: 255).documented("The title.")
                    private static let __options_description = TernAPI.FieldOptions().documented(nil)
                    private static let __options_default = TernAPI.FieldOptions().documented(nil)
                    init?(validating object: TernAPI.JSONObject, at location: TernAPI.IssueLocation, issues: inout TernAPI.ValidationIssues) {
                        let __title = object.field("title", String.self, options: Self.__options_title, at: location, issues: &issues)
                        let __description = object.field("description", String?.self, options: Self.__options_description, default: nil, at: location, issues: &issues)
                        let __default = object.field("default", Int.self, options: Self.__options_default, default: 3, at: location, issues: &issues)
                        guard let __title, let __description, let __default else {
                            return nil
                        }
                        self.title = __title
                        self.description = __description
                        self.`default` = __default
                    }
                    static func objectSchema(components: inout TernAPI.SchemaComponents) -> TernAPI.JSONSchema {
                        var builder = TernAPI.ObjectSchemaBuilder(title: "ItemCreate", description: "An item.")
                        builder.property("title", String.self, options: Self.__options_title, required: true, components: &components)
                        builder.property("description", String?.self, options: Self.__options_description, required: false, default: nil, components: &components)
                        builder.property("default", Int.self, options: Self.__options_default, required: false, default: 3, components: &components)
                        return builder.schema
                    }
                    func writeJSON(to writer: inout TernAPI.JSONWriter) {
                        writer.beginObject()
                        writer.key("title")
                        self.title.writeJSON(to: &writer)
                        writer.key("description")
                        self.description.writeJSON(to: &writer)
                        writer.key("default")
                        self.`default`.writeJSON(to: &writer)
                        writer.endObject()
                    }
                }
                """)
    }

    @Test("a public schema gets public members; a renamed schema and field keep their names")
    func publicSchema() {
        assertExpansion(
            """
            @Schema(name: "Token")
            public struct TokenPayload {
                @Field(name: "sub", pattern: #"^\\d+$"#) public var subject: String
            }
            """,
            expandedSource: """
                public struct TokenPayload {
                    public var subject: String
                }

                extension TokenPayload: TernAPI.APISchema {
                    public static var schemaName: String {
                        "Token"
                    }
                    private static let __options_subject = TernAPI.FieldOptions(pattern: #"^\\d+$"#).documented(nil)
                    public init?(validating object: TernAPI.JSONObject, at location: TernAPI.IssueLocation, issues: inout TernAPI.ValidationIssues) {
                        let __subject = object.field("sub", String.self, options: Self.__options_subject, at: location, issues: &issues)
                        guard let __subject else {
                            return nil
                        }
                        self.subject = __subject
                    }
                    public static func objectSchema(components: inout TernAPI.SchemaComponents) -> TernAPI.JSONSchema {
                        var builder = TernAPI.ObjectSchemaBuilder(title: "Token", description: nil)
                        builder.property("sub", String.self, options: Self.__options_subject, required: true, components: &components)
                        return builder.schema
                    }
                    public func writeJSON(to writer: inout TernAPI.JSONWriter) {
                        writer.beginObject()
                        writer.key("sub")
                        self.subject.writeJSON(to: &writer)
                        writer.endObject()
                    }
                }
                """)
    }

    @Test("field validators run in order after the field's rules; the schema's own rule runs once all fields are valid")
    func validators() {
        assertExpansion(
            """
            @Schema
            struct Signup {
                @Field(minLength: 8, validators: [StrongPassword.self, NotCommon.self]) var password: String
                var confirmation: String

                func validate() throws(ValueError) {
                    guard password == confirmation else { throw ValueError("passwords do not match") }
                }
            }
            """,
            expandedSource: """
                struct Signup {
                    var password: String
                    var confirmation: String

                    func validate() throws(ValueError) {
                        guard password == confirmation else { throw ValueError("passwords do not match") }
                    }
                }

                extension Signup: TernAPI.APISchema {
                    static var schemaName: String {
                        "Signup"
                    }
                    private static let __options_password = TernAPI.FieldOptions(minLength: 8).documented(nil)
                    private static let __options_confirmation = TernAPI.FieldOptions().documented(nil)
                    init?(validating object: TernAPI.JSONObject, at location: TernAPI.IssueLocation, issues: inout TernAPI.ValidationIssues) {
                        var __password = object.field("password", String.self, options: Self.__options_password, at: location, issues: &issues)
                        __password = TernAPI.validated(__password, by: StrongPassword.self, at: location + "password", input: object["password"] ?? .null, issues: &issues)
                        __password = TernAPI.validated(__password, by: NotCommon.self, at: location + "password", input: object["password"] ?? .null, issues: &issues)
                        let __confirmation = object.field("confirmation", String.self, options: Self.__options_confirmation, at: location, issues: &issues)
                        guard let __password, let __confirmation else {
                            return nil
                        }
                        self.password = __password
                        self.confirmation = __confirmation
                        guard TernAPI.validatedModel(self.validate, at: location, input: object, issues: &issues) else {
                            return nil
                        }
                    }
                    static func objectSchema(components: inout TernAPI.SchemaComponents) -> TernAPI.JSONSchema {
                        var builder = TernAPI.ObjectSchemaBuilder(title: "Signup", description: nil)
                        builder.property("password", String.self, options: Self.__options_password, required: true, components: &components)
                        builder.property("confirmation", String.self, options: Self.__options_confirmation, required: true, components: &components)
                        return builder.schema
                    }
                    func writeJSON(to writer: inout TernAPI.JSONWriter) {
                        writer.beginObject()
                        writer.key("password")
                        self.password.writeJSON(to: &writer)
                        writer.key("confirmation")
                        self.confirmation.writeJSON(to: &writer)
                        writer.endObject()
                    }
                }
                """)
    }

    @Test("diagnostics: a schema rule that does not throw ValueError")
    func untypedRule() {
        assertDiagnostic(
            """
            @Schema
            struct Signup {
                var password: String
                func validate() throws {
                }
            }
            """, "declare the schema's rule as 'func validate() throws(ValueError)', so that its errors join the 422", line: 4, column: 18)
    }

    @Test("diagnostics: validators that are not listed in the attribute")
    func validatorsNotListed() {
        assertDiagnostic(
            """
            @Schema
            struct Signup {
                @Field(validators: passwordRules) var password: String
            }
            """, "list the validators in the attribute: validators: [StrongPassword.self]", line: 3, column: 24)
    }

    @Test("diagnostics: not a struct")
    func notAStruct() {
        assertDiagnostic(
            """
            @Schema
            enum Colour {
                case red
            }
            """, "@Schema applies to structs", line: 1, column: 1)
    }

    @Test("diagnostics: a constant with a default value")
    func constantWithDefault() {
        assertDiagnostic(
            """
            @Schema
            struct Page {
                let size: Int = 10
            }
            """, "a schema field with a default value must be a 'var', so that requests can set it", line: 3, column: 5)
    }

    @Test("diagnostics: a field without a declared type")
    func untypedField() {
        assertDiagnostic(
            """
            @Schema
            struct Page {
                var size = 10
            }
            """, "give 'size' an explicit type", line: 3, column: 9)
    }

    @Test("diagnostics: a pattern that is not a regular expression")
    func invalidPattern() {
        assertDiagnostic(
            """
            @Schema
            struct Code {
                @Field(pattern: "[a-z") var code: String
            }
            """, "'[a-z' is not a valid regular expression", line: 3, column: 21)
    }
}
