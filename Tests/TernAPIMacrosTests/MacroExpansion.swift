import Foundation
import SwiftSyntax
import SwiftSyntaxMacroExpansion
import SwiftSyntaxMacros
import SwiftSyntaxMacrosGenericTestSupport
import TernAPIMacroExpansion
import Testing

/// The macros as the TernAPI module declares them, by name.
let ternMacros: [String: MacroSpec] = [
    "Schema": MacroSpec(type: SchemaMacro.self),
    "Input": MacroSpec(type: InputMacro.self),
    "APIRouter": MacroSpec(type: APIRouterMacro.self),
    "Field": MacroSpec(type: MarkerMacro.self),
    "Path": MacroSpec(type: MarkerMacro.self),
    "Query": MacroSpec(type: MarkerMacro.self),
    "Header": MacroSpec(type: MarkerMacro.self),
    "Cookie": MacroSpec(type: MarkerMacro.self),
    "Body": MacroSpec(type: MarkerMacro.self),
    "Form": MacroSpec(type: MarkerMacro.self),
    "Depends": MacroSpec(type: MarkerMacro.self),
    "GET": MacroSpec(type: MarkerMacro.self),
    "POST": MacroSpec(type: MarkerMacro.self),
    "PUT": MacroSpec(type: MarkerMacro.self),
    "PATCH": MacroSpec(type: MarkerMacro.self),
    "DELETE": MacroSpec(type: MarkerMacro.self),
]

/// Expands `source` with the TernAPI macros and compares the result (and the diagnostics) with what
/// is expected, reporting differences as issues of the calling test.
func assertExpansion(
    _ source: String, expandedSource: String, diagnostics: [DiagnosticSpec] = [],
    sourceLocation: Testing.SourceLocation = #_sourceLocation
) {
    assertMacroExpansion(
        source, expandedSource: expandedSource, diagnostics: diagnostics, macroSpecs: ternMacros,
        failureHandler: { failure in
            Issue.record(Comment(rawValue: failure.message), sourceLocation: sourceLocation)
        })
}

/// Expands `source` and expects exactly one error, `message`, at `line`:`column`.
func assertDiagnostic(
    _ source: String, _ message: String, line: Int, column: Int, sourceLocation: Testing.SourceLocation = #_sourceLocation
) {
    assertExpansion(
        source, expandedSource: expandedWithoutMacros(source),
        diagnostics: [DiagnosticSpec(message: message, line: line, column: column)], sourceLocation: sourceLocation)
}

/// What a declaration whose macro failed expands to: itself, its attributes removed.
private func expandedWithoutMacros(_ source: String) -> String {
    source.split(separator: "\n", omittingEmptySubsequences: false).compactMap { line -> String? in
        var text = String(line)
        while let range = text.range(of: #"@[A-Za-z]+(\([^)]*\))?\s*"#, options: .regularExpression) {
            text.removeSubrange(range)
        }
        let removedWholeLine = text.trimmingCharacters(in: .whitespaces).isEmpty && !line.trimmingCharacters(in: .whitespaces).isEmpty
        return removedWholeLine ? nil : text
    }
    .joined(separator: "\n")
}
