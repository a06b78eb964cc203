import SwiftCompilerPlugin
import SwiftSyntaxMacros

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
