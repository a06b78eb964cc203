import Foundation
import SwiftDiagnostics
import SwiftParser
import SwiftSyntax
import SwiftSyntaxBuilder

/// A property a macro reads into a value it validates: a schema field or an operation input.
protocol ValidatedProperty {
    var property: StoredProperty { get }
    /// The attribute whose arguments are the property's `FieldOptions` (`@Field`, `@Query`, ...).
    var optionsAttribute: AttributeSyntax? { get }
}

extension ValidatedProperty {
    /// The generated static holding the property's `FieldOptions`.
    var optionsName: TokenSyntax { .identifier("__options_\(property.name)") }
    /// The generated local the property's value is read into.
    var localName: TokenSyntax { .identifier("__\(property.name)") }

    /// `T.self`: the type argument of the generated reading and documenting calls.
    var typeArgument: LabeledExprSyntax { LabeledExprSyntax(expression: "\(property.type).self" as ExprSyntax) }
    /// `options: Self.__options_x`
    var optionsArgument: LabeledExprSyntax { LabeledExprSyntax(label: "options", expression: "Self.\(optionsName)" as ExprSyntax) }

    /// The value used when the key is absent: the declared default, or `nil` for optionals.
    var defaultValue: ExprSyntax? {
        property.initializer ?? (property.isOptional ? ExprSyntax(NilLiteralExprSyntax()) : nil)
    }

    /// `private static let __options_x = TernAPI.FieldOptions(...).documented(...)`; the macro's
    /// own `name:` (the name on the wire) and `validators:` arguments are not options.
    var optionsDeclaration: DeclSyntax {
        let arguments = optionsAttribute.map { forwardedArguments(of: $0, excluding: ["name", "validators"]) } ?? []
        return """
            private static let \(optionsName) = TernAPI.FieldOptions(\(arguments)).documented(\(literal: property.documentation))
            """
    }

    /// Checks what the compiler cannot: a `pattern:` must be a regular expression (the same engine
    /// compiles it at run time, so a pattern accepted here never traps there).
    func checkOptions() throws {
        guard let attribute = optionsAttribute,
            let argument = arguments(of: attribute).first(where: { $0.label?.text == "pattern" })
        else { return }
        guard let pattern = argument.expression.as(StringLiteralExprSyntax.self)?.representedLiteralValue else {
            throw DiagnosticsError(
                syntax: argument.expression, "give the pattern as a string literal, so that it is checked when it is compiled")
        }
        do {
            _ = try NSRegularExpression(pattern: pattern)
        } catch {
            throw DiagnosticsError(syntax: argument.expression, "'\(pattern)' is not a valid regular expression")
        }
    }
}
