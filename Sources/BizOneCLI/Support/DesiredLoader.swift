import ArgumentParser
import BizOneConfig
import BizOneModel
import Foundation

/// Loads pipeline paths for a command and prints the diagnostics; errors end the command
/// with exit code 1 before anything is touched.
enum DesiredLoader {
    static let defaultPaths = ["pipelines"]

    /// The loader commands use: CSVs come from the pipeline folder, or from the folders the
    /// operator lists in `BIZONE_DATA_DIRS` (colon-separated) on this host.
    static var loader: PipelineLoader {
        let folders = ProcessInfo.processInfo.environment["BIZONE_DATA_DIRS"].map { $0.split(separator: ":").map(String.init) } ?? []
        return PipelineLoader(dataFolders: folders)
    }

    static func load(_ paths: [String], terminal: Terminal, checkSecrets: Bool = false) throws -> (DesiredState, [Diagnostic]) {
        let result = loader.load(paths: paths.isEmpty ? defaultPaths : paths)
        let diagnostics = result.diagnostics + (checkSecrets ? SecretCheck.check(result.desired) : [])
        DiagnosticPrinter.print(diagnostics, terminal: terminal)
        guard let desired = result.desired else { throw ExitCode(1) }
        return (desired, diagnostics)
    }
}
