import BizOneModel
import Foundation

/// Expands the command line's paths into the YAML files to read: directories recursively,
/// in sorted order, so the same tree always loads the same way.
enum PipelineFiles {
    static let extensions: Set<String> = ["yaml", "yml"]

    /// The YAML files, each with its pipeline folder (see `DataPaths`).
    static func expand(_ paths: [String]) -> (files: [String], roots: [String: String], diagnostics: [Diagnostic]) {
        var files: [String] = []
        var roots: [String: String] = [:]
        var diagnostics: [Diagnostic] = []
        let manager = FileManager.default
        for path in paths {
            var isDirectory: ObjCBool = false
            guard manager.fileExists(atPath: path, isDirectory: &isDirectory) else {
                diagnostics.append(.error("\(path): no such file or directory", at: nil))
                continue
            }
            let root = DataPaths.root(ofArgument: path, isDirectory: isDirectory.boolValue)
            if !isDirectory.boolValue {
                files.append(path)
                if roots[path] == nil { roots[path] = root }
                continue
            }
            var visited = Set<String>()
            let found = walk(path, visited: &visited).filter { extensions.contains(($0 as NSString).pathExtension.lowercased()) }
            if found.isEmpty {
                diagnostics.append(.warning("\(path): no .yaml or .yml files found", at: nil))
            }
            files += found
            for file in found where roots[file] == nil { roots[file] = root }
        }
        // Overlapping paths (a directory and a file inside it) read each file once.
        var seen = Set<String>()
        let unique = files.filter { seen.insert(URL(fileURLWithPath: $0).standardizedFileURL.path).inserted }
        return (unique, roots, diagnostics)
    }

    /// Directories are followed through symlinks, each real directory once, so a link back to
    /// a parent cannot make the walk loop.
    private static func walk(_ directory: String, visited: inout Set<String>) -> [String] {
        let manager = FileManager.default
        guard visited.insert(URL(fileURLWithPath: directory).resolvingSymlinksInPath().path).inserted else { return [] }
        guard let entries = try? manager.contentsOfDirectory(atPath: directory) else { return [] }
        var result: [String] = []
        for entry in entries.sorted() where !entry.hasPrefix(".") {
            let path = directory.hasSuffix("/") ? directory + entry : directory + "/" + entry
            var isDirectory: ObjCBool = false
            manager.fileExists(atPath: path, isDirectory: &isDirectory)
            if isDirectory.boolValue {
                result += walk(path, visited: &visited)
            } else {
                result.append(path)
            }
        }
        return result
    }
}
