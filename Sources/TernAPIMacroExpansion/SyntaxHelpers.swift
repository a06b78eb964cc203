import SwiftDiagnostics
import SwiftParser
import SwiftSyntax
import SwiftSyntaxBuilder
import SwiftSyntaxMacros

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
    arguments(of: attribute).first { $0.label?.text == label }?.expression.as(StringLiteralExprSyntax.self)?.representedLiteralValue
}

/// The arguments of an attribute, without the ones listed (which the macro uses itself), commas
/// placed for a call.
func forwardedArguments(
    of attribute: AttributeSyntax, excluding excluded: Set<String> = [], droppingFirst: Bool = false
) -> LabeledExprListSyntax {
    var list = Array(arguments(of: attribute))
    if droppingFirst, !list.isEmpty { list.removeFirst() }
    let kept = list.filter { !excluded.contains($0.label?.text ?? "") }
    return LabeledExprListSyntax(
        kept.enumerated().map { index, argument in
            argument.trimmed.with(\.trailingComma, index < kept.count - 1 ? .commaToken(trailingTrivia: .space) : nil)
        })
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

/// The access modifier of members a macro adds to a type: `public` for a public type (its
/// conformance is public, so must be its witnesses), `fileprivate` for a private type or one nested
/// in a private type (whose extension's members must say so), none otherwise.
func memberAccess(of declaration: some DeclGroupSyntax, in context: some MacroExpansionContext) -> DeclModifierListSyntax {
    func modifiers(of syntax: Syntax) -> [String] {
        syntax.asProtocol((any WithModifiersSyntax).self)?.modifiers.map(\.name.text) ?? []
    }
    let own = declaration.modifiers.map(\.name.text)
    let enclosing = context.lexicalContext.flatMap { modifiers(of: $0) }
    let keyword: Keyword? =
        if (own + enclosing).contains(where: { $0 == "private" || $0 == "fileprivate" }) {
            .fileprivate
        } else if own.contains(where: { $0 == "public" || $0 == "open" }) {
            .public
        } else {
            nil
        }
    return keyword.map { [DeclModifierSyntax(name: .keyword($0, trailingTrivia: .space))] } ?? []
}

/// `let a, let b, let c`: the optional-binding conditions of a `guard` that unwraps every local.
func bindings(_ names: [TokenSyntax]) -> ConditionElementListSyntax {
    ConditionElementListSyntax {
        for name in names {
            ConditionElementSyntax(
                condition: .optionalBinding(
                    OptionalBindingConditionSyntax(
                        bindingSpecifier: .keyword(.let, trailingTrivia: .space), pattern: IdentifierPatternSyntax(identifier: name))))
        }
    }
}

/// The generated declaration, refused with a diagnostic at `node` if it does not parse: a mistake in
/// the macro surfaces here, in the macro's words, not as a puzzle in the user's code.
func checked<Declaration: SyntaxProtocol>(_ declaration: Declaration, at node: some SyntaxProtocol) throws -> Declaration {
    guard !declaration.hasError else {
        throw DiagnosticsError(syntax: node, "this declaration produced code that does not parse; please report it with the declaration")
    }
    return declaration
}

/// `[a, b]` with each element on a line of its own, so that generated lists read as a column.
func multilineArray(_ elements: [ExprSyntax]) -> ArrayExprSyntax {
    guard !elements.isEmpty else { return ArrayExprSyntax(elements: []) }
    let list = ArrayElementListSyntax(
        elements.enumerated().map { index, element in
            ArrayElementSyntax(
                leadingTrivia: .newline, expression: element,
                trailingComma: index < elements.count - 1 ? .commaToken() : nil)
        })
    return ArrayExprSyntax(elements: list, rightSquare: .rightSquareToken(leadingTrivia: .newline))
}
