import BizOneModel

/// Prints diagnostics compiler-style to stderr, with a count at the end.
enum DiagnosticPrinter {
    static func print(_ diagnostics: [Diagnostic], terminal: Terminal) {
        for diagnostic in diagnostics {
            var text = diagnostic.location.map { "\($0): " } ?? ""
            switch diagnostic.severity {
            case .error: text += terminal.red("error:")
            case .warning: text += terminal.yellow("warning:")
            }
            text += " \(diagnostic.message)"
            if let hint = diagnostic.hint { text += "\n    " + terminal.dim("hint: \(hint)") }
            Terminal.printError(text)
        }
        let errors = diagnostics.errors.count, warnings = diagnostics.warnings.count
        if errors > 0 || warnings > 0 {
            Terminal.printError("\(errors) error\(errors == 1 ? "" : "s"), \(warnings) warning\(warnings == 1 ? "" : "s")")
        }
    }
}
