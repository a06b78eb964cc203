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
        let modelRule = try modelValidation(in: structDecl)
        let schemaName = stringArgument("name", of: node) ?? structDecl.name.text
        let access = memberAccess(of: declaration, in: context)
        let extensionDecl = try ExtensionDeclSyntax("extension \(type.trimmed): TernAPI.APISchema") {
            "\(access)static var schemaName: String { \(literal: schemaName) }"
            for field in fields {
                field.optionsDeclaration
            }
            try validatingInitializer(fields, modelRule: modelRule, access: access)
            try objectSchema(fields, title: schemaName, description: docComment(of: structDecl), access: access)
            try writeJSON(fields, access: access)
        }
        return [try checked(extensionDecl, at: node)]
    }

    /// The schema's own `validate()`, pydantic's `model_validator(mode="after")`, if it declares one:
    /// it must report a broken rule by throwing a `ValueError`.
    private static func modelValidation(in structDecl: StructDeclSyntax) throws -> FunctionDeclSyntax? {
        let rule = structDecl.memberBlock.members.lazy.compactMap { $0.decl.as(FunctionDeclSyntax.self) }.first { function in
            function.name.text == "validate" && function.signature.parameterClause.parameters.isEmpty
                && !function.modifiers.contains { $0.name.text == "static" }
        }
        guard let rule else { return nil }
        let thrown = rule.signature.effectSpecifiers?.throwsClause?.type?.trimmedDescription
        guard thrown == "ValueError" || thrown == "TernAPI.ValueError", rule.signature.effectSpecifiers?.asyncSpecifier == nil else {
            throw DiagnosticsError(
                syntax: rule.signature, "declare the schema's rule as 'func validate() throws(ValueError)', so that its errors join the 422"
            )
        }
        return rule
    }

    /// Reads every field, reporting all problems, sets them all or fails, then checks the schema's own
    /// rule.
    private static func validatingInitializer(
        _ fields: [SchemaField], modelRule: FunctionDeclSyntax?, access: DeclModifierListSyntax
    ) throws -> InitializerDeclSyntax {
        try InitializerDeclSyntax(
            "\(access)init?(validating object: TernAPI.JSONObject, at location: TernAPI.IssueLocation, issues: inout TernAPI.ValidationIssues)"
        ) {
            for field in fields {
                if field.validators.isEmpty {
                    "let \(field.localName) = \(field.readExpression)"
                } else {
                    "var \(field.localName) = \(field.readExpression)"
                    for validator in field.validators {
                        "\(field.localName) = \(field.validation(by: validator))"
                    }
                }
            }
            if !fields.isEmpty {
                "guard \(bindings(fields.map(\.localName))) else { return nil }"
            }
            for field in fields {
                "self.\(field.property.identifier) = \(field.localName)"
            }
            if modelRule != nil {
                "guard TernAPI.validatedModel(self.validate, at: location, input: object, issues: &issues) else { return nil }"
            }
        }
    }

    /// The object's JSON Schema, one property per field.
    private static func objectSchema(
        _ fields: [SchemaField], title: String, description: String?, access: DeclModifierListSyntax
    ) throws -> FunctionDeclSyntax {
        try FunctionDeclSyntax(
            "\(access)static func objectSchema(components: inout TernAPI.SchemaComponents) -> TernAPI.JSONSchema"
        ) {
            "var builder = TernAPI.ObjectSchemaBuilder(title: \(literal: title), description: \(literal: description))"
            for field in fields {
                "builder.\(field.propertyCall)"
            }
            "return builder.schema"
        }
    }

    /// The fields as a JSON object, in declaration order.
    private static func writeJSON(_ fields: [SchemaField], access: DeclModifierListSyntax) throws -> FunctionDeclSyntax {
        try FunctionDeclSyntax("\(access)func writeJSON(to writer: inout TernAPI.JSONWriter)") {
            "writer.beginObject()"
            for field in fields {
                "writer.key(\(literal: field.key))"
                "self.\(field.property.identifier).writeJSON(to: &writer)"
            }
            "writer.endObject()"
        }
    }
}

/// A stored property seen as a schema field.
struct SchemaField: ValidatedProperty {
    let property: StoredProperty
    let attribute: AttributeSyntax?
    var optionsAttribute: AttributeSyntax? { attribute }

    /// The `FieldValidator` types of `@Field(validators: [...])`, in order.
    let validators: [ExprSyntax]

    init(_ property: StoredProperty) throws {
        self.property = property
        self.attribute = property.attribute(named: ["Field"])
        if property.isLet && property.initializer != nil {
            throw DiagnosticsError(
                syntax: property.node, "a schema field with a default value must be a 'var', so that requests can set it")
        }
        self.validators = try attribute.map(Self.validators) ?? []
        try checkOptions()
    }

    private static func validators(of attribute: AttributeSyntax) throws -> [ExprSyntax] {
        guard let argument = arguments(of: attribute).first(where: { $0.label?.text == "validators" }) else { return [] }
        guard let list = argument.expression.as(ArrayExprSyntax.self) else {
            throw DiagnosticsError(syntax: argument.expression, "list the validators in the attribute: validators: [StrongPassword.self]")
        }
        return list.elements.map { $0.expression.trimmed }
    }

    /// `TernAPI.validated(__x, by: V.self, at: location + "key", input: object["key"] ?? .null, issues: &issues)`
    func validation(by validator: ExprSyntax) -> ExprSyntax {
        """
        TernAPI.validated(\(localName), by: \(validator), at: location + \(literal: key), input: object[\(literal: key)] ?? .null, issues: &issues)
        """
    }

    /// The JSON key: `@Field(name:)` or the property name in snake_case.
    var key: String {
        attribute.flatMap { stringArgument("name", of: $0) } ?? property.name.snakeCased
    }

    /// `object.field("key", T.self, options: Self.__options_x, default: ..., at: location, issues: &issues)`
    var readExpression: ExprSyntax {
        let call = FunctionCallExprSyntax(callee: "object.field" as ExprSyntax) {
            LabeledExprSyntax(expression: StringLiteralExprSyntax(content: key))
            typeArgument
            optionsArgument
            if let defaultValue {
                LabeledExprSyntax(label: "default", expression: defaultValue)
            }
            LabeledExprSyntax(label: "at", expression: "location" as ExprSyntax)
            LabeledExprSyntax(label: "issues", expression: "&issues" as ExprSyntax)
        }
        return ExprSyntax(call)
    }

    /// `property("key", T.self, options: ..., required: ..., default: ..., components: &components)`
    var propertyCall: ExprSyntax {
        let call = FunctionCallExprSyntax(callee: "property" as ExprSyntax) {
            LabeledExprSyntax(expression: StringLiteralExprSyntax(content: key))
            typeArgument
            optionsArgument
            LabeledExprSyntax(label: "required", expression: BooleanLiteralExprSyntax(defaultValue == nil))
            if let defaultValue {
                LabeledExprSyntax(label: "default", expression: defaultValue)
            }
            LabeledExprSyntax(label: "components", expression: "&components" as ExprSyntax)
        }
        return ExprSyntax(call)
    }
}
