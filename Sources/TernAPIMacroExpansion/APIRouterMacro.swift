import SwiftDiagnostics
import SwiftParser
import SwiftSyntax
import SwiftSyntaxBuilder
import SwiftSyntaxMacros

/// `@APIRouter(prefix:tags:dependencies:)`: makes a struct an `APIRouter` whose operations are its
/// methods marked `@GET`, `@POST`, `@PUT`, `@PATCH` or `@DELETE`. A method's name becomes the
/// operation name (`readItems` → `read_items`), its doc comment the description, its parameter the
/// operation's inputs and its return type the response.
public struct APIRouterMacro: ExtensionMacro {
    public static func expansion(
        of node: AttributeSyntax, attachedTo declaration: some DeclGroupSyntax,
        providingExtensionsOf type: some TypeSyntaxProtocol, conformingTo protocols: [TypeSyntax],
        in context: some MacroExpansionContext
    ) throws -> [ExtensionDeclSyntax] {
        let routes = try declaration.memberBlock.members.compactMap { member in
            try member.decl.as(FunctionDeclSyntax.self).flatMap(Route.init)
        }
        try checkUnique(routes)
        let access = memberAccess(of: declaration, in: context)
        let operations = multilineArray(routes.map { ExprSyntax($0.operation) })
        let extensionDecl = try ExtensionDeclSyntax("extension \(type.trimmed): TernAPI.APIRouter") {
            "\(access)var groupOptions: TernAPI.RouterGroupOptions { TernAPI.RouterGroupOptions(\(forwardedArguments(of: node))) }"
            "\(access)var operations: [TernAPI.APIOperation] { \(operations) }"
            try FunctionDeclSyntax(
                """
                /// Does not compile when a route's `{placeholders}` differ from its input's `@Path` names.
                private static func __checkPathParameters()
                """
            ) {
                for route in routes {
                    route.pathCheck
                }
            }
        }
        return [try checked(extensionDecl, at: node)]
    }

    /// Two handlers for one method and path would leave one unreachable.
    private static func checkUnique(_ routes: [Route]) throws {
        var seen: Set<String> = []
        for route in routes where !seen.insert("\(route.method) \(route.template.normalized)").inserted {
            throw DiagnosticsError(
                syntax: route.attribute,
                "\(route.attribute.attributeName.trimmedDescription) \(route.template.text) is declared twice in this router")
        }
    }
}

/// A handler marked with its method and path.
struct Route {
    static let methods = ["GET": "get", "POST": "post", "PUT": "put", "PATCH": "patch", "DELETE": "delete"]

    let function: FunctionDeclSyntax
    let attribute: AttributeSyntax
    /// `get`, `post`, ...: the `HTTPRequest.Method` member.
    let method: String
    let template: PathTemplate
    let inputType: TypeSyntax

    /// `nil` for a method that is not a route.
    init?(_ function: FunctionDeclSyntax) throws {
        let attributes = function.attributes.compactMap { $0.as(AttributeSyntax.self) }
        guard let attribute = attributes.first(where: { Self.methods[$0.attributeName.trimmedDescription] != nil }) else { return nil }
        let name = attribute.attributeName.trimmedDescription
        guard let path = arguments(of: attribute).first, path.label == nil,
            let text = path.expression.as(StringLiteralExprSyntax.self)?.representedLiteralValue
        else {
            throw DiagnosticsError(syntax: attribute, "give the route's path first, as a string literal: @\(name)(\"/items/{id}\")")
        }
        let parameters = Array(function.signature.parameterClause.parameters)
        guard parameters.count <= 1 else {
            throw DiagnosticsError(syntax: function.signature, "an operation handler takes one @Input struct (or nothing)")
        }
        guard function.signature.returnClause != nil else {
            throw DiagnosticsError(syntax: function.signature, "an operation handler returns its response")
        }
        self.function = function
        self.attribute = attribute
        self.method = Self.methods[name]!
        self.template = try PathTemplate(text, at: path.expression)
        self.inputType = parameters.first?.type.trimmed ?? "TernAPI.NoInput"
    }

    /// `TernAPI.APIOperation(.get, "/{id}", name: "read_item", ...) { [self] (input: In) in try await self.readItem(input) }`
    var operation: FunctionCallExprSyntax {
        let effects = function.signature.effectSpecifiers
        let parameter = function.signature.parameterClause.parameters.first
        let handlerCall = FunctionCallExprSyntax(callee: "self.\(function.name.trimmed)" as ExprSyntax) {
            if let parameter {
                let label = parameter.firstName.tokenKind == .wildcard ? nil : parameter.firstName.text
                LabeledExprSyntax(label: label, expression: "input" as ExprSyntax)
            }
        }
        var call = FunctionCallExprSyntax(callee: "TernAPI.APIOperation" as ExprSyntax) {
            LabeledExprSyntax(expression: MemberAccessExprSyntax(name: .identifier(method)))
            LabeledExprSyntax(expression: StringLiteralExprSyntax(content: template.text))
            LabeledExprSyntax(label: "name", expression: StringLiteralExprSyntax(content: function.name.text.snakeCased))
            LabeledExprSyntax(label: "documentation", expression: "\(literal: docComment(of: function))" as ExprSyntax)
            LabeledExprSyntax(
                label: "options",
                expression: "TernAPI.RouteOptions(\(forwardedArguments(of: attribute, droppingFirst: true)))" as ExprSyntax)
        }
        var body = ExprSyntax(handlerCall)
        if effects?.asyncSpecifier != nil { body = "await \(body)" }
        if effects?.throwsClause != nil { body = "try \(body)" }
        let closure: ExprSyntax = "{ [self] (input: \(inputType)) in \(body) }"
        call.trailingClosure = closure.as(ClosureExprSyntax.self)
        return call
    }

    /// `TernAPI.checkPathParameters(of: "/{id}", (Void, id: Void).self, In.PathParameterNames.self)`
    var pathCheck: ExprSyntax {
        """
        TernAPI.checkPathParameters(of: \(literal: template.text), \(PathParameterNames.tupleType(template.names)).self, \(inputType).PathParameterNames.self)
        """
    }
}

/// A route's path, `/items/{id}`, and the names of its placeholders.
struct PathTemplate {
    let text: String
    let names: [String]

    init(_ text: String, at node: some SyntaxProtocol) throws {
        self.text = text
        var names: [String] = []
        let segments = text.split(separator: "/")
        for (index, segment) in segments.enumerated() where segment.hasPrefix("{") || segment.hasSuffix("}") {
            var name = String(segment.dropFirst().dropLast())
            // `{name:path}` catches the rest of the path, so only the last segment may be one.
            if name.hasSuffix(":path") {
                guard index == segments.count - 1 else {
                    throw DiagnosticsError(
                        syntax: node, "'\(segment)' catches the rest of the path: only the last segment can be a {name:path}")
                }
                name = String(name.dropLast(":path".count))
            }
            guard segment.hasPrefix("{"), segment.hasSuffix("}"), PathParameterNames.isIdentifier(name) else {
                throw DiagnosticsError(
                    syntax: node,
                    "'\(segment)' is not a path parameter: write {name}, a plain identifier, as a whole segment, or {name:path} last")
            }
            guard !names.contains(name) else {
                throw DiagnosticsError(syntax: node, "the path parameter {\(name)} appears twice in \(text)")
            }
            names.append(name)
        }
        self.names = names
    }

    /// The path as the router matches it: `/items` and `/items/` are one route.
    var normalized: String {
        let trimmed = text.hasSuffix("/") ? String(text.dropLast()) : text
        return trimmed.isEmpty ? "/" : trimmed
    }
}
