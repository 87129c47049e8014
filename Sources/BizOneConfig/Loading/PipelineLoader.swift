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

    /// Folders besides the pipeline folder that data files (CSVs) may be read from.
    public var dataFolders: [String]

    public init(dataFolders: [String] = []) {
        self.dataFolders = dataFolders
    }

    public func load(paths: [String]) -> Result {
        let (files, roots, fileDiagnostics) = PipelineFiles.expand(paths)
        var reader = DocumentReader()
        for file in files { reader.read(file: file) }
        var dataPaths = DataPaths(extraFolders: dataFolders)
        dataPaths.roots = roots
        return check(reader, files: files, fileDiagnostics: fileDiagnostics, dataPaths: dataPaths)
    }

    /// Loads one file's content given in memory, reported as `file`, with the same checks as
    /// `load(paths:)` (the fuzz target feeds the loader this way); its folder is the pipeline folder.
    public func load(contents: Data, file: String) -> Result {
        var reader = DocumentReader()
        reader.read(contents, file: file)
        return check(reader, files: [file], fileDiagnostics: [], dataPaths: DataPaths(extraFolders: dataFolders))
    }

    private func check(_ reader: DocumentReader, files: [String], fileDiagnostics: [Diagnostic], dataPaths: DataPaths) -> Result {
        var checker = SemanticChecker(documents: reader.documents, brokenIDs: reader.brokenIDs, dataPaths: dataPaths)
        let resources = checker.run()
        let diagnostics = (fileDiagnostics + reader.diagnostics + checker.diagnostics).sortedByLocation()
        let desired = diagnostics.hasErrors ? nil : DesiredState(resources: resources)
        return Result(desired: desired, diagnostics: diagnostics, files: files)
    }
}
