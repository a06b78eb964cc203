import SwiftDiagnostics
import SwiftSyntax

/// A mistake in a declaration a macro reads, reported at the offending syntax.
struct MacroError: Error, DiagnosticMessage {
    let message: String
    var diagnosticID: MessageID { MessageID(domain: "TernAPIMacros", id: "error") }
    var severity: DiagnosticSeverity { .error }

    init(_ message: String) {
        self.message = message
    }
}

extension DiagnosticsError {
    /// An error pointing at `syntax`.
    init(syntax: some SyntaxProtocol, _ message: String) {
        self.init(diagnostics: [Diagnostic(node: Syntax(syntax), message: MacroError(message))])
    }
}
