import SwiftDiagnostics
import SwiftSyntax
import SwiftSyntaxBuilder
import SwiftSyntaxMacros

/// `@Input`: makes a struct an `OperationInput`. Each property says where it comes from (`@Path`,
/// `@Query`, `@Header`, `@Cookie`, `@Body`, `@Form`) or that it is a dependency (`@Depends`).
public struct InputMacro: ExtensionMacro {
    public static func expansion(
        of node: AttributeSyntax, attachedTo declaration: some DeclGroupSyntax,
        providingExtensionsOf type: some TypeSyntaxProtocol, conformingTo protocols: [TypeSyntax],
        in context: some MacroExpansionContext
    ) throws -> [ExtensionDeclSyntax] {
        guard let structDecl = declaration.as(StructDeclSyntax.self) else {
            throw DiagnosticsError(syntax: node, "@Input applies to structs")
        }
        let inputs = try StoredProperty.all(in: structDecl.memberBlock).map(InputProperty.init)
        let bodies = inputs.filter { $0.kind == .body }
        if bodies.count > 1 {
            throw DiagnosticsError(syntax: bodies[1].property.node, "an operation takes one @Body; put the fields in one @Schema type")
        }
        if !bodies.isEmpty, inputs.contains(where: { $0.kind == .form }) {
            throw DiagnosticsError(syntax: bodies[0].property.node, "an operation reads either a JSON @Body or @Form fields, not both")
        }

        let access = memberAccess(of: declaration, in: context)
        var members: [String] = []
        for input in inputs where input.kind != .depends {
            members.append(input.optionsDeclaration)
        }
        members.append(extract(inputs, access: access))
        members.append(initializer(inputs))
        members.append(parameters(inputs, access: access))
        members.append(requestBody(inputs, access: access))
        members.append(
            "\(access)static var dependencies: [any TernAPI.Dependency.Type] { [\(inputs.filter { $0.kind == .depends }.map { "\($0.property.typeText).self" }.joined(separator: ", "))] }"
        )
        let text = """
            extension \(type.trimmedDescription): TernAPI.OperationInput {
            \(members.joined(separator: "\n\n"))
            }
            """
        return [try ExtensionDeclSyntax("\(raw: text)")]
    }

    private static func extract(_ inputs: [InputProperty], access: String) -> String {
        let validated = inputs.filter { $0.kind != .depends }
        var lines = ["\(access)static func extract(from scope: TernAPI.RequestScope) async throws -> Self {"]
        if !validated.isEmpty { lines.append("    let request = scope.request") }
        if inputs.contains(where: { $0.kind == .body }) { lines.append("    let __tern_body = try await request.jsonBody()") }
        if inputs.contains(where: { $0.kind == .form }) { lines.append("    let __tern_form = try await request.formFields()") }
        lines.append("    try await scope.resolveGroupDependencies()")
        for input in inputs where input.kind == .depends {
            lines.append("    let \(input.localName) = try await scope.resolve(\(input.property.typeText).self)")
        }
        if !validated.isEmpty {
            lines.append("    var issues = TernAPI.ValidationIssues()")
            for input in validated {
                lines.append("    let \(input.localName) = \(input.readExpression)")
            }
            lines.append(
                "    guard issues.isEmpty, \(validated.map { "let \($0.localName)" }.joined(separator: ", ")) else { throw TernAPI.RequestValidationError(issues.all) }"
            )
        }
        lines.append("    return Self(__inputs: ()\(inputs.map { ", \($0.property.name): \($0.localName)" }.joined()))")
        lines.append("}")
        return lines.joined(separator: "\n")
    }

    private static func initializer(_ inputs: [InputProperty]) -> String {
        var lines = ["private init(__inputs: ()\(inputs.map { ", \($0.property.name): \($0.property.typeText)" }.joined())) {"]
        for input in inputs {
            lines.append("    self.\(input.property.name) = \(input.property.name)")
        }
        lines.append("}")
        return lines.joined(separator: "\n")
    }

    private static func parameters(_ inputs: [InputProperty], access: String) -> String {
        let descriptions = inputs.filter { [.path, .query, .header, .cookie, .form].contains($0.kind) }.map(\.description)
        return "\(access)static var parameters: [TernAPI.ParameterDescription] { [\(descriptions.joined(separator: ", "))] }"
    }

    private static func requestBody(_ inputs: [InputProperty], access: String) -> String {
        if let body = inputs.first(where: { $0.kind == .body }) {
            return "\(access)static var requestBody: TernAPI.RequestBodyDescription? { .json(\(body.property.typeText).self, options: \(body.optionsName), required: \(body.defaultExpression == nil)) }"
        }
        let fields = inputs.filter { $0.kind == .form }
        if !fields.isEmpty {
            return "\(access)static var requestBody: TernAPI.RequestBodyDescription? { .form([\(fields.map(\.description).joined(separator: ", "))]) }"
        }
        return "\(access)static var requestBody: TernAPI.RequestBodyDescription? { nil }"
    }
}

/// A property of an `@Input` struct and where it comes from.
struct InputProperty: ValidatedProperty {
    enum Kind: String {
        case path = "Path", query = "Query", header = "Header", cookie = "Cookie", body = "Body", form = "Form"
        case depends = "Depends"
    }

    let property: StoredProperty
    let attribute: AttributeSyntax
    let kind: Kind
    var optionsAttribute: AttributeSyntax? { attribute }

    init(_ property: StoredProperty) throws {
        let names = Set(["Path", "Query", "Header", "Cookie", "Body", "Form", "Depends"])
        guard let attribute = property.attribute(named: names), let kind = Kind(rawValue: attribute.attributeName.trimmedDescription) else {
            throw DiagnosticsError(
                syntax: property.node,
                "mark '\(property.name)' with where it comes from: @Path, @Query, @Header, @Cookie, @Body, @Form or @Depends")
        }
        self.property = property
        self.attribute = attribute
        self.kind = kind
    }

    /// The name on the wire: `@Query(name:)`, else snake_case (with hyphens for headers, as FastAPI).
    var name: String {
        if let name = stringArgument("name", of: attribute) { return name }
        let snake = property.name.snakeCased
        return kind == .header ? String(snake.map { $0 == "_" ? "-" : $0 }) : snake
    }

    private var defaultArgument: String {
        defaultExpression.map { ", default: { \($0) }" } ?? ""
    }

    var readExpression: String {
        let type = "\(property.typeText).self"
        let options = "options: Self.\(optionsName)"
        switch kind {
        case .path: return "request.path(\(literal(name)), \(type), \(options), issues: &issues)"
        case .query: return "request.query(\(literal(name)), \(type), \(options)\(defaultArgument), issues: &issues)"
        case .header: return "request.header(\(literal(name)), \(type), \(options)\(defaultArgument), issues: &issues)"
        case .cookie: return "request.cookie(\(literal(name)), \(type), \(options)\(defaultArgument), issues: &issues)"
        case .form: return "request.form(\(literal(name)), \(type), in: __tern_form, \(options)\(defaultArgument), issues: &issues)"
        case .body: return "request.body(__tern_body, \(type), \(options)\(defaultArgument), issues: &issues)"
        case .depends: return ""
        }
    }

    /// The `ParameterDescription` of a path, query, header, cookie or form input.
    var description: String {
        let location = kind == .form ? "form" : kind.rawValue.lowercased()
        let defaultArgument = property.initializer.map { ", default: \($0.trimmedDescription)" } ?? ""
        return ".init(\(literal(name)), in: .\(location), \(property.typeText).self, options: \(optionsName), required: \(kind == .path || defaultExpression == nil)\(defaultArgument))"
    }
}
