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
        let inputs = try StoredProperty.all(in: structDecl.memberBlock, skippingConstants: true).map(InputProperty.init)
        try check(inputs)
        let access = memberAccess(of: declaration, in: context)
        let extensionDecl = try ExtensionDeclSyntax("extension \(type.trimmed): TernAPI.OperationInput") {
            for input in inputs where input.kind != .depends {
                input.optionsDeclaration
            }
            "\(access)typealias PathParameterNames = \(PathParameterNames.tupleType(inputs.filter { $0.kind == .path }.map(\.name)))"
            try extract(inputs, access: access)
            try initializer(inputs)
            "\(access)static var parameters: [TernAPI.ParameterDescription] { \(parameters(inputs)) }"
            "\(access)static var requestBody: TernAPI.RequestBodyDescription? { \(requestBody(inputs)) }"
            "\(access)static var dependencies: [any TernAPI.Dependency.Type] { \(dependencies(inputs)) }"
        }
        return [try checked(extensionDecl, at: node)]
    }

    /// Mistakes the compiler would not see, or would report far from the declaration.
    private static func check(_ inputs: [InputProperty]) throws {
        let bodies = inputs.filter { $0.kind == .body }
        if bodies.count > 1 {
            throw DiagnosticsError(syntax: bodies[1].property.node, "an operation takes one @Body; put the fields in one @Schema type")
        }
        if !bodies.isEmpty, inputs.contains(where: { $0.kind == .form }) {
            throw DiagnosticsError(syntax: bodies[0].property.node, "an operation reads either a JSON @Body or @Form fields, not both")
        }
        for path in inputs where path.kind == .path {
            if path.defaultValue != nil {
                throw DiagnosticsError(
                    syntax: path.property.node, "a path parameter is always present: remove its default value or make it a @Query")
            }
            if !PathParameterNames.isIdentifier(path.name) {
                throw DiagnosticsError(
                    syntax: path.attribute, "a path parameter's name must be a plain identifier, as in the route's {placeholder}")
            }
        }
        var seen: [String: InputProperty] = [:]
        for input in inputs where input.kind != .depends && input.kind != .body {
            let key = "\(input.kind.location) \(input.kind == .header ? input.name.lowercased() : input.name)"
            if seen[key] != nil {
                throw DiagnosticsError(syntax: input.property.node, "'\(input.name)' is read twice from the \(input.kind.location)")
            }
            seen[key] = input
        }
    }

    /// Reads the request in FastAPI's order: a JSON body (malformed JSON fails at once), the router
    /// group's dependencies, the operation's dependencies, then every parameter, all problems reported
    /// together as one 422. A form body is read after the dependencies, unlike FastAPI: it may carry
    /// files as large as the route allows, and a caller that authentication or a rate limit turns
    /// away must not get to upload them first.
    private static func extract(_ inputs: [InputProperty], access: DeclModifierListSyntax) throws -> FunctionDeclSyntax {
        let validated = inputs.filter { $0.kind != .depends }
        return try FunctionDeclSyntax("\(access)static func extract(from scope: TernAPI.RequestScope) async throws -> Self") {
            if !validated.isEmpty {
                "let request = scope.request"
            }
            if inputs.contains(where: { $0.kind == .body }) {
                "let __tern_body = try await request.jsonBody()"
            }
            "try await scope.resolveGroupDependencies()"
            for input in inputs where input.kind == .depends {
                "let \(input.localName) = try await scope.resolve(\(input.property.type).self)"
            }
            if inputs.contains(where: { $0.kind == .form }) {
                "let __tern_form = try await request.formFields()"
            }
            if !validated.isEmpty {
                "var issues = TernAPI.ValidationIssues()"
                for input in validated {
                    "let \(input.localName) = \(input.readExpression)"
                }
                "guard issues.isEmpty, \(bindings(validated.map(\.localName))) else { throw TernAPI.RequestValidationError(issues.all) }"
            }
            "return \(construction(inputs))"
        }
    }

    /// `Self(__inputs: (), id: __id, items: __items)`
    private static func construction(_ inputs: [InputProperty]) -> FunctionCallExprSyntax {
        FunctionCallExprSyntax(callee: "Self" as ExprSyntax) {
            LabeledExprSyntax(label: "__inputs", expression: TupleExprSyntax(elements: []))
            for input in inputs {
                LabeledExprSyntax(label: input.property.name, expression: DeclReferenceExprSyntax(baseName: input.localName))
            }
        }
    }

    /// A memberwise initializer of its own, so that the struct keeps (or declares) its own.
    private static func initializer(_ inputs: [InputProperty]) throws -> InitializerDeclSyntax {
        let parameters = FunctionParameterListSyntax {
            "__inputs: ()"
            for input in inputs {
                "\(input.property.identifier): \(input.property.type)"
            }
        }
        return try InitializerDeclSyntax("private init(\(parameters))") {
            for input in inputs {
                "self.\(input.property.identifier) = \(input.property.identifier)"
            }
        }
    }

    private static func parameters(_ inputs: [InputProperty]) -> ArrayExprSyntax {
        multilineArray(inputs.filter(\.kind.isParameter).map(\.parameterDescription))
    }

    private static func requestBody(_ inputs: [InputProperty]) -> ExprSyntax {
        if let body = inputs.first(where: { $0.kind == .body }) {
            return ".json(\(body.property.type).self, options: \(body.optionsName), required: \(literal: body.defaultValue == nil))"
        }
        let fields = inputs.filter { $0.kind == .form }
        guard !fields.isEmpty else { return "nil" }
        return ".form(\(multilineArray(fields.map(\.parameterDescription))))"
    }

    private static func dependencies(_ inputs: [InputProperty]) -> ArrayExprSyntax {
        multilineArray(inputs.filter { $0.kind == .depends }.map { "\($0.property.type).self" })
    }
}

/// A property of an `@Input` struct and where it comes from.
struct InputProperty: ValidatedProperty {
    enum Kind: String {
        case path = "Path"
        case query = "Query"
        case header = "Header"
        case cookie = "Cookie"
        case body = "Body"
        case form = "Form"
        case depends = "Depends"

        /// The `ParameterLocation` case, and the first part of a validation issue's `loc`.
        var location: String {
            self == .form ? "form" : rawValue.lowercased()
        }

        /// Documented as a parameter (or a form field).
        var isParameter: Bool { ![.body, .depends].contains(self) }
    }

    let property: StoredProperty
    let attribute: AttributeSyntax
    let kind: Kind
    var optionsAttribute: AttributeSyntax? { kind == .depends ? nil : attribute }

    init(_ property: StoredProperty) throws {
        let names = Set(["Path", "Query", "Header", "Cookie", "Body", "Form", "Depends"])
        guard let attribute = property.attribute(named: names), let kind = Kind(rawValue: attribute.attributeName.trimmedDescription) else {
            throw DiagnosticsError(
                syntax: property.node,
                "mark '\(property.name)' with where it comes from: @Path, @Query, @Header, @Cookie, @Body, @Form or @Depends (or make it a 'let' with its value)"
            )
        }
        self.property = property
        self.attribute = attribute
        self.kind = kind
        try checkOptions()
    }

    /// The name on the wire: `@Query(name:)`, else snake_case (with hyphens for headers, as FastAPI).
    var name: String {
        if let name = stringArgument("name", of: attribute) { return name }
        let snake = property.name.snakeCased
        return kind == .header ? String(snake.map { $0 == "_" ? "-" : $0 }) : snake
    }

    /// `request.query("limit", Int.self, options: Self.__options_limit, default: { 100 }, issues: &issues)`
    var readExpression: ExprSyntax {
        let reader = MemberAccessExprSyntax(base: "request" as ExprSyntax, name: .identifier(kind.rawValue.lowercased()))
        let call = FunctionCallExprSyntax(callee: reader) {
            if kind == .body {
                LabeledExprSyntax(expression: "__tern_body" as ExprSyntax)
            } else {
                LabeledExprSyntax(expression: StringLiteralExprSyntax(content: name))
            }
            typeArgument
            if kind == .form {
                LabeledExprSyntax(label: "in", expression: "__tern_form" as ExprSyntax)
            }
            optionsArgument
            if kind != .path, let defaultValue {
                LabeledExprSyntax(label: "default", expression: "{ \(defaultValue) }" as ExprSyntax)
            }
            LabeledExprSyntax(label: "issues", expression: "&issues" as ExprSyntax)
        }
        return ExprSyntax(call)
    }

    /// The `ParameterDescription` of a path, query, header, cookie or form input.
    var parameterDescription: ExprSyntax {
        let call = FunctionCallExprSyntax(callee: ".init" as ExprSyntax) {
            LabeledExprSyntax(expression: StringLiteralExprSyntax(content: name))
            LabeledExprSyntax(label: "in", expression: MemberAccessExprSyntax(name: .identifier(kind.location)))
            typeArgument
            optionsArgument
            LabeledExprSyntax(label: "required", expression: BooleanLiteralExprSyntax(kind == .path || defaultValue == nil))
            if let initializer = property.initializer {
                LabeledExprSyntax(label: "default", expression: initializer)
            }
        }
        return ExprSyntax(call)
    }
}

/// The names of an operation's path parameters as a type, `(Void, id: Void, user_id: Void)` (sorted;
/// `Void` alone for none), which `@Input` declares and `@APIRouter` writes from the route: the
/// compiler then refuses a route whose `{placeholders}` are not exactly the input's `@Path` names.
enum PathParameterNames {
    static func tupleType(_ names: [String]) -> TypeSyntax {
        guard !names.isEmpty else { return "Void" }
        let elements = TupleTypeElementListSyntax {
            TupleTypeElementSyntax(type: "Void" as TypeSyntax)
            for name in names.sorted() {
                TupleTypeElementSyntax(firstName: .identifier(name), colon: .colonToken(), type: "Void" as TypeSyntax)
            }
        }
        return TypeSyntax(TupleTypeSyntax(elements: elements))
    }

    static func isIdentifier(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, first == "_" || first.properties.isAlphabetic else { return false }
        return name.unicodeScalars.allSatisfy { $0 == "_" || $0.properties.isAlphabetic || ("0"..."9").contains($0) }
    }
}
