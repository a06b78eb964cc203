import SwiftSyntax
import SwiftSyntaxMacros

/// `@Field`, `@Path`, `@Query`, `@Header`, `@Cookie`, `@Body`, `@Form`, `@Depends`, `@GET`, `@POST`, ...:
/// markers that expand to nothing. The macro on the enclosing type reads them.
public struct MarkerMacro: PeerMacro {
    public static func expansion(
        of node: AttributeSyntax, providingPeersOf declaration: some DeclSyntaxProtocol,
        in context: some MacroExpansionContext
    ) throws -> [DeclSyntax] {
        []
    }
}
