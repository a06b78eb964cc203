import SwiftDiagnostics
import SwiftSyntax
import SwiftSyntaxBuilder
import SwiftSyntaxMacros

/// `@Schema`: makes a struct an `APISchema`: validation of every field at once, JSON output with
/// snake_case keys in declaration order, and a JSON Schema with constraints and doc comments.
public struct SchemaMacro: ExtensionMacro {
    public static func expansion(
        of node: AttributeSyntax, attachedTo declaration: some DeclGroupSyntax,
        providingExtensionsOf type: some TypeSyntaxProtocol, conformingTo protocols: [TypeSyntax],
        in context: some MacroExpansionContext
    ) throws -> [ExtensionDeclSyntax] {
        guard let structDecl = declaration.as(StructDeclSyntax.self) else {
            throw DiagnosticsError(syntax: node, "@Schema applies to structs")
        }
        let fields = try StoredProperty.all(in: structDecl.memberBlock).map(SchemaField.init)
        let schemaName = stringArgument("name", of: node) ?? structDecl.name.text
        let description = docComment(of: structDecl)

        let access = memberAccess(of: declaration, in: context)
        var members: [String] = []
        members.append("\(access)static var schemaName: String { \(literal(schemaName)) }")
        for field in fields {
            members.append(field.optionsDeclaration)
        }
        members.append(validatingInitializer(fields, access: access))
        members.append(objectSchema(fields, title: schemaName, description: description, access: access))
        members.append(writeJSON(fields, access: access))

        let declarationText = """
            extension \(type.trimmedDescription): TernAPI.APISchema {
            \(members.joined(separator: "\n\n"))
            }
            """
        return [try ExtensionDeclSyntax("\(raw: declarationText)")]
    }

    private static func validatingInitializer(_ fields: [SchemaField], access: String) -> String {
        var lines = [
            "\(access)init?(validating object: TernAPI.JSONObject, at location: TernAPI.IssueLocation, issues: inout TernAPI.ValidationIssues) {"
        ]
        for field in fields {
            let defaultArgument = field.defaultExpression.map { ", default: \($0)" } ?? ""
            lines.append(
                "    let \(field.localName) = object.field(\(literal(field.key)), \(field.property.typeText).self, options: Self.\(field.optionsName)\(defaultArgument), at: location, issues: &issues)"
            )
        }
        if !fields.isEmpty {
            lines.append("    guard \(fields.map { "let \($0.localName)" }.joined(separator: ", ")) else { return nil }")
        }
        for field in fields {
            lines.append("    self.\(field.property.name) = \(field.localName)")
        }
        lines.append("}")
        return lines.joined(separator: "\n")
    }

    private static func objectSchema(_ fields: [SchemaField], title: String, description: String?, access: String) -> String {
        var lines = [
            "\(access)static func objectSchema(components: inout TernAPI.SchemaComponents) -> TernAPI.JSONSchema {",
            "    var builder = TernAPI.ObjectSchemaBuilder(title: \(literal(title)), description: \(optionalLiteral(description)))",
        ]
        for field in fields {
            let defaultArgument = field.defaultExpression.map { ", default: \($0)" } ?? ""
            lines.append(
                "    builder.property(\(literal(field.key)), \(field.property.typeText).self, options: Self.\(field.optionsName), required: \(field.isRequired)\(defaultArgument), components: &components)"
            )
        }
        lines.append("    return builder.schema")
        lines.append("}")
        return lines.joined(separator: "\n")
    }

    private static func writeJSON(_ fields: [SchemaField], access: String) -> String {
        var lines = ["\(access)func writeJSON(to writer: inout TernAPI.JSONWriter) {", "    writer.beginObject()"]
        for field in fields {
            lines.append("    writer.key(\(literal(field.key)))")
            lines.append("    self.\(field.property.name).writeJSON(to: &writer)")
        }
        lines.append("    writer.endObject()")
        lines.append("}")
        return lines.joined(separator: "\n")
    }
}

/// A stored property seen as a schema field.
struct SchemaField: ValidatedProperty {
    let property: StoredProperty
    let attribute: AttributeSyntax?
    var optionsAttribute: AttributeSyntax? { attribute }

    init(_ property: StoredProperty) throws {
        self.property = property
        self.attribute = property.attribute(named: ["Field"])
        if property.isLet && property.initializer != nil {
            throw DiagnosticsError(
                syntax: property.node, "a schema field with a default value must be a 'var', so that requests can set it")
        }
    }

    /// The JSON key: `@Field(name:)` or the property name in snake_case.
    var key: String {
        attribute.flatMap { stringArgument("name", of: $0) } ?? property.name.snakeCased
    }

    var isRequired: Bool { defaultExpression == nil }
}
