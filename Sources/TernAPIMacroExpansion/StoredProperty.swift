import SwiftDiagnostics
import SwiftSyntax

/// A stored property of a type a macro generates code for.
struct StoredProperty {
    /// The name, without backticks.
    let name: String
    /// The name as declared (backticked if it was), for generated code.
    let identifier: TokenSyntax
    let type: TypeSyntax
    let initializer: ExprSyntax?
    let attributes: [AttributeSyntax]
    let documentation: String?
    let isLet: Bool
    let node: VariableDeclSyntax

    /// Whether the declared type is `T?` or `Optional<T>`.
    var isOptional: Bool {
        if type.is(OptionalTypeSyntax.self) || type.is(ImplicitlyUnwrappedOptionalTypeSyntax.self) { return true }
        if let identifier = type.as(IdentifierTypeSyntax.self), identifier.name.text == "Optional" { return true }
        return false
    }

    /// The first attribute with one of these names, if any.
    func attribute(named names: Set<String>) -> AttributeSyntax? {
        attributes.first { names.contains($0.attributeName.trimmedDescription) }
    }

    /// Reads the stored instance properties of a type, in declaration order; with `skippingConstants`,
    /// not the constants declared with their value (`let items = ItemRepository()`), which need no type.
    static func all(in members: MemberBlockSyntax, skippingConstants: Bool = false) throws -> [StoredProperty] {
        var properties: [StoredProperty] = []
        for member in members.members {
            guard let variable = member.decl.as(VariableDeclSyntax.self) else { continue }
            let isStatic = variable.modifiers.contains { ["static", "class"].contains($0.name.text) }
            if isStatic { continue }
            let attributes = variable.attributes.compactMap { $0.as(AttributeSyntax.self) }
            for binding in variable.bindings {
                if let accessors = binding.accessorBlock, !accessors.isStoredWithObservers { continue }
                guard let pattern = binding.pattern.as(IdentifierPatternSyntax.self) else { continue }
                if skippingConstants, variable.bindingSpecifier.text == "let", binding.initializer != nil { continue }
                guard let type = binding.typeAnnotation?.type else {
                    throw DiagnosticsError(syntax: binding, "give '\(pattern.identifier.text)' an explicit type")
                }
                properties.append(
                    StoredProperty(
                        name: pattern.identifier.text.trimmingBackticks, identifier: pattern.identifier.trimmed, type: type.trimmed,
                        initializer: binding.initializer?.value.trimmed, attributes: attributes,
                        documentation: docComment(of: variable), isLet: variable.bindingSpecifier.text == "let",
                        node: variable))
            }
        }
        return properties
    }
}

extension AccessorBlockSyntax {
    /// `willSet`/`didSet` observers keep a property stored; getters make it computed.
    var isStoredWithObservers: Bool {
        guard case .accessors(let list) = accessors else { return false }
        return list.allSatisfy { ["willSet", "didSet"].contains($0.accessorSpecifier.text) }
    }
}
