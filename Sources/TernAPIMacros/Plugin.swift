import SwiftCompilerPlugin
import SwiftSyntax
import SwiftSyntaxMacros
import TernAPIMacroExpansion

/// The compiler plugin behind `@Schema`, `@Input`, `@APIRouter` and their member markers.
@main
struct TernAPIMacrosPlugin: CompilerPlugin {
    let providingMacros: [any Macro.Type] = [
        SchemaMacro.self,
        InputMacro.self,
        APIRouterMacro.self,
        MarkerMacro.self,
    ]
}

// The compiler finds a macro by its type's full name, `TernAPIMacros.SchemaMacro` as TernAPI
// declares it, so the types it finds live here and hand the work to TernAPIMacroExpansion's.

/// An extension macro whose expansion is ``Expansion``'s.
protocol ForwardingExtensionMacro: ExtensionMacro {
    associatedtype Expansion: ExtensionMacro
}

extension ForwardingExtensionMacro {
    static func expansion(
        of node: AttributeSyntax, attachedTo declaration: some DeclGroupSyntax,
        providingExtensionsOf type: some TypeSyntaxProtocol, conformingTo protocols: [TypeSyntax],
        in context: some MacroExpansionContext
    ) throws -> [ExtensionDeclSyntax] {
        try Expansion.expansion(of: node, attachedTo: declaration, providingExtensionsOf: type, conformingTo: protocols, in: context)
    }
}

struct SchemaMacro: ForwardingExtensionMacro {
    typealias Expansion = TernAPIMacroExpansion.SchemaMacro
}

struct InputMacro: ForwardingExtensionMacro {
    typealias Expansion = TernAPIMacroExpansion.InputMacro
}

struct APIRouterMacro: ForwardingExtensionMacro {
    typealias Expansion = TernAPIMacroExpansion.APIRouterMacro
}

struct MarkerMacro: PeerMacro {
    static func expansion(
        of node: AttributeSyntax, providingPeersOf declaration: some DeclSyntaxProtocol, in context: some MacroExpansionContext
    ) throws -> [DeclSyntax] {
        try TernAPIMacroExpansion.MarkerMacro.expansion(of: node, providingPeersOf: declaration, in: context)
    }
}
