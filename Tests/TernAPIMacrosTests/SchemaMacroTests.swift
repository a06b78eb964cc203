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
