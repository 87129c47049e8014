import ArgumentParser
import BizOneConfig
import BizOneModel

/// Loads pipeline paths for a command and prints the diagnostics; errors end the command
/// with exit code 1 before anything is touched.
enum DesiredLoader {
    static let defaultPaths = ["pipelines"]

    static func load(_ paths: [String], terminal: Terminal, checkSecrets: Bool = false) throws -> (DesiredState, [Diagnostic]) {
        let result = PipelineLoader().load(paths: paths.isEmpty ? defaultPaths : paths)
        let diagnostics = result.diagnostics + (checkSecrets ? SecretCheck.check(result.desired) : [])
        DiagnosticPrinter.print(diagnostics, terminal: terminal)
        guard let desired = result.desired else { throw ExitCode(1) }
        return (desired, diagnostics)
    }
}
