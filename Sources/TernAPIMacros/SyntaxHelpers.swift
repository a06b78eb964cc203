import SwiftDiagnostics
import SwiftSyntax
import SwiftSyntaxBuilder
import SwiftSyntaxMacros

/// A stored property of a type a macro generates code for.
struct StoredProperty {
    let name: String
    let type: TypeSyntax
    let initializer: ExprSyntax?
    let attributes: [AttributeSyntax]
    let documentation: String?
    let isLet: Bool
    let node: VariableDeclSyntax

    var typeText: String { type.trimmedDescription }

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

    /// Reads the stored instance properties of a type, in declaration order.
    static func all(in members: MemberBlockSyntax) throws -> [StoredProperty] {
        var properties: [StoredProperty] = []
        for member in members.members {
            guard let variable = member.decl.as(VariableDeclSyntax.self) else { continue }
            let isStatic = variable.modifiers.contains { ["static", "class"].contains($0.name.text) }
            if isStatic { continue }
            let attributes = variable.attributes.compactMap { $0.as(AttributeSyntax.self) }
            for binding in variable.bindings {
                if let accessors = binding.accessorBlock, !accessors.isStoredWithObservers { continue }
                guard let pattern = binding.pattern.as(IdentifierPatternSyntax.self) else { continue }
                guard let type = binding.typeAnnotation?.type else {
                    throw DiagnosticsError(syntax: binding, "give '\(pattern.identifier.text)' an explicit type")
                }
                properties.append(
                    StoredProperty(
                        name: pattern.identifier.text.trimmingBackticks, type: type.trimmed,
                        initializer: binding.initializer?.value.trimmed, attributes: attributes,
                        documentation: docComment(of: variable), isLet: variable.bindingSpecifier.text == "let",
                        node: variable))
            }
        }
        return properties
    }
}

/// A property a macro reads into a value it validates: a schema field or an operation input.
protocol ValidatedProperty {
    var property: StoredProperty { get }
    /// The attribute whose arguments are the property's `FieldOptions` (`@Field`, `@Query`, ...).
    var optionsAttribute: AttributeSyntax? { get }
}

extension ValidatedProperty {
    /// The generated static holding the property's `FieldOptions`.
    var optionsName: String { "__options_\(property.name)" }
    /// The generated local the property's value is read into.
    var localName: String { "__\(property.name)" }

    /// The value used when the key is absent: the declared default, or `nil` for optionals.
    var defaultExpression: String? {
        if let initializer = property.initializer { return initializer.trimmedDescription }
        return property.isOptional ? "nil" : nil
    }

    /// The declaration of the options static; `name:` is the macro's own (the name on the wire).
    var optionsDeclaration: String {
        let arguments = optionsAttribute.map { argumentText(of: $0, excluding: ["name"]) } ?? ""
        return "private static let \(optionsName) = TernAPI.FieldOptions(\(arguments)).documented(\(optionalLiteral(property.documentation)))"
    }
}

extension AccessorBlockSyntax {
    /// `willSet`/`didSet` observers keep a property stored; getters make it computed.
    var isStoredWithObservers: Bool {
        guard case .accessors(let list) = accessors else { return false }
        return list.allSatisfy { ["willSet", "didSet"].contains($0.accessorSpecifier.text) }
    }
}

/// The text of the `///` (or `/** */`) comment before a declaration.
func docComment(of node: some SyntaxProtocol) -> String? {
    var lines: [String] = []
    for piece in node.leadingTrivia {
        switch piece {
        case .docLineComment(let text):
            var line = Substring(text.dropFirst(3))
            if line.hasPrefix(" ") { line = line.dropFirst() }
            lines.append(String(line))
        case .docBlockComment(let text):
            lines.append(
                contentsOf: text.dropFirst(3).dropLast(2).split(whereSeparator: \.isNewline).map {
                    $0.trimmingCharacters(in: " *\t")
                })
        default:
            continue
        }
    }
    let text = lines.joined(separator: "\n").trimmingCharacters(in: " \n\t")
    return text.isEmpty ? nil : text
}

/// Arguments of an attribute, as labeled pairs.
func arguments(of attribute: AttributeSyntax) -> LabeledExprListSyntax {
    if case .argumentList(let list) = attribute.arguments { return list }
    return []
}

/// The value of a string-literal argument, such as `name: "x"`.
func stringArgument(_ label: String, of attribute: AttributeSyntax) -> String? {
    guard let argument = arguments(of: attribute).first(where: { $0.label?.text == label }),
        let literal = argument.expression.as(StringLiteralExprSyntax.self), literal.segments.count == 1,
        case .stringSegment(let segment) = literal.segments.first
    else { return nil }
    return segment.content.text
}

/// The arguments of an attribute as source text, without the ones listed (which the macro uses itself).
func argumentText(of attribute: AttributeSyntax, excluding excluded: Set<String> = [], skippingFirst: Bool = false) -> String {
    var list = Array(arguments(of: attribute))
    if skippingFirst, !list.isEmpty { list.removeFirst() }
    return list.filter { !excluded.contains($0.label?.text ?? "") }
        .map { argument in
            let value = argument.expression.trimmedDescription
            return argument.label.map { "\($0.text): \(value)" } ?? value
        }
        .joined(separator: ", ")
}

/// A Swift string literal of the text (escaped, or raw when that reads better).
func literal(_ text: String) -> String {
    text.makeLiteralSyntax().description
}

/// A string literal, or `nil`.
func optionalLiteral(_ text: String?) -> String {
    text.map(literal) ?? "nil"
}

extension String {
    /// `ownerId` → `owner_id`, `isHTTPOnly` → `is_http_only`.
    var snakeCased: String {
        var result = ""
        let characters = Array(self)
        for (index, character) in characters.enumerated() {
            if character.isUppercase {
                let previous = index > 0 ? characters[index - 1] : nil
                let next = index + 1 < characters.count ? characters[index + 1] : nil
                if let previous, previous.isLowercase || previous.isNumber || (previous.isUppercase && next?.isLowercase == true) {
                    result += "_"
                }
                result += character.lowercased()
            } else {
                result.append(character)
            }
        }
        return result
    }

    var trimmingBackticks: String {
        hasPrefix("`") && hasSuffix("`") ? String(dropFirst().dropLast()) : self
    }

    func trimmingCharacters(in set: String) -> String {
        var substring = Substring(self)
        while let first = substring.first, set.contains(first) { substring.removeFirst() }
        while let last = substring.last, set.contains(last) { substring.removeLast() }
        return String(substring)
    }
}

extension Substring {
    func trimmingCharacters(in set: String) -> String {
        String(self).trimmingCharacters(in: set)
    }
}

/// The access modifier of members a macro adds to a type: `public ` for a public type (its
/// conformance is public, so must be its witnesses), `fileprivate ` for a private type or one nested
/// in a private type (whose extension's members must say so), none otherwise.
func memberAccess(of declaration: some DeclGroupSyntax, in context: some MacroExpansionContext) -> String {
    func modifiers(of syntax: Syntax) -> [String] {
        syntax.asProtocol((any WithModifiersSyntax).self)?.modifiers.map(\.name.text) ?? []
    }
    let own = declaration.modifiers.map(\.name.text)
    let enclosing = context.lexicalContext.flatMap { modifiers(of: $0) }
    if (own + enclosing).contains(where: { $0 == "private" || $0 == "fileprivate" }) { return "fileprivate " }
    return own.contains(where: { $0 == "public" || $0 == "open" }) ? "public " : ""
}
