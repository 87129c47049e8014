import BizOneModel
import Foundation

/// Loads pipeline files into a `DesiredState`, or every diagnostic at once.
public struct PipelineLoader: Sendable {
    public struct Result: Sendable {
        /// Present only when there are no errors.
        public var desired: DesiredState?
        /// Errors and warnings, sorted by location.
        public var diagnostics: [Diagnostic]
        public var files: [String]
    }

    public init() {}

    public func load(paths: [String]) -> Result {
        let (files, fileDiagnostics) = PipelineFiles.expand(paths)
        var reader = DocumentReader()
        for file in files { reader.read(file: file) }
        return check(reader, files: files, fileDiagnostics: fileDiagnostics)
    }

    /// Loads one file's content given in memory, reported as `file`, with the same checks as
    /// `load(paths:)` (the fuzz target feeds the loader this way).
    public func load(contents: Data, file: String) -> Result {
        var reader = DocumentReader()
        reader.read(contents, file: file)
        return check(reader, files: [file], fileDiagnostics: [])
    }

    private func check(_ reader: DocumentReader, files: [String], fileDiagnostics: [Diagnostic]) -> Result {
        var checker = SemanticChecker(documents: reader.documents, brokenIDs: reader.brokenIDs)
        let resources = checker.run()
        let diagnostics = (fileDiagnostics + reader.diagnostics + checker.diagnostics).sortedByLocation()
        let desired = diagnostics.hasErrors ? nil : DesiredState(resources: resources)
        return Result(desired: desired, diagnostics: diagnostics, files: files)
    }
}
