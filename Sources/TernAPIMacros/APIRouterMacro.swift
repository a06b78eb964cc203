import SwiftDiagnostics
import SwiftSyntax
import SwiftSyntaxBuilder
import SwiftSyntaxMacros

/// `@APIRouter(prefix:tags:dependencies:)`: makes a struct an `APIRouter` whose operations are its
/// methods marked `@GET`, `@POST`, `@PUT`, `@PATCH` or `@DELETE`. A method's name becomes the
/// operation name (`readItems` → `read_items`), its doc comment the description, its parameter the
/// operation's inputs and its return type the response.
public struct APIRouterMacro: ExtensionMacro {
    static let methods = ["GET": "get", "POST": "post", "PUT": "put", "PATCH": "patch", "DELETE": "delete"]

    public static func expansion(
        of node: AttributeSyntax, attachedTo declaration: some DeclGroupSyntax,
        providingExtensionsOf type: some TypeSyntaxProtocol, conformingTo protocols: [TypeSyntax],
        in context: some MacroExpansionContext
    ) throws -> [ExtensionDeclSyntax] {
        var operations: [String] = []
        for member in declaration.memberBlock.members {
            guard let function = member.decl.as(FunctionDeclSyntax.self) else { continue }
            let attributes = function.attributes.compactMap { $0.as(AttributeSyntax.self) }
            guard let route = attributes.first(where: { methods[$0.attributeName.trimmedDescription] != nil }) else { continue }
            operations.append(try operation(function, route: route))
        }
        let access = memberAccess(of: declaration, in: context)
        let text = """
            extension \(type.trimmedDescription): TernAPI.APIRouter {
            \(access)var groupOptions: TernAPI.RouterGroupOptions { TernAPI.RouterGroupOptions(\(argumentText(of: node))) }

            \(access)var operations: [TernAPI.APIOperation] {
                [
            \(operations.map { "        " + $0 }.joined(separator: ",\n"))
                ]
            }
            }
            """
        return [try ExtensionDeclSyntax("\(raw: text)")]
    }

    private static func operation(_ function: FunctionDeclSyntax, route: AttributeSyntax) throws -> String {
        let method = methods[route.attributeName.trimmedDescription]!
        guard let path = arguments(of: route).first, path.label == nil else {
            throw DiagnosticsError(syntax: route, "give the route's path first: @\(route.attributeName.trimmedDescription)(\"/items/{id}\")")
        }
        let parameters = Array(function.signature.parameterClause.parameters)
        guard parameters.count <= 1 else {
            throw DiagnosticsError(syntax: function.signature, "an operation handler takes one @Input struct (or nothing)")
        }
        guard function.signature.returnClause != nil else {
            throw DiagnosticsError(syntax: function.signature, "an operation handler returns its response")
        }
        let effects = function.signature.effectSpecifiers
        let call =
            (effects?.throwsClause != nil ? "try " : "") + (effects?.asyncSpecifier != nil ? "await " : "")
        let name = function.name.text
        let inputType = parameters.first.map { $0.type.trimmedDescription } ?? "TernAPI.NoInput"
        let argument = parameters.first.map { parameter in
            parameter.firstName.text == "_" ? "input" : "\(parameter.firstName.text): input"
        } ?? ""
        let options = argumentText(of: route, skippingFirst: true)
        return """
            TernAPI.APIOperation(.\(method), \(path.expression.trimmedDescription), name: \(literal(name.snakeCased)), documentation: \(optionalLiteral(docComment(of: function))), options: TernAPI.RouteOptions(\(options))) { [self] (input: \(inputType)) in \(call)self.\(name)(\(argument)) }
            """
    }
}
