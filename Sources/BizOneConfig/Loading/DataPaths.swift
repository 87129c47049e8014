import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where files a pipeline names (an audience's CSV) may live: inside the pipeline folder the
/// command was given, or a folder the operator listed explicitly.
///
/// `validate` and `plan` run in CI on pull requests and their output is posted back; a
/// diagnostic quotes a CSV's header and cells. Without this rule a pull request saying
/// `path: ../../../../etc/passwd` (or `/etc/passwd`) would publish the first line of any file
/// the CI runner can read. So both relative and absolute paths must resolve, after `..` and
/// symlinks, inside an allowed folder, and are refused before a byte is read. Absolute paths
/// are held to the same rule because a pull request can write one as easily; data kept out of
/// git lives in a folder the operator names on the host (`BIZONE_DATA_DIRS`), never in YAML.
public struct DataPaths: Sendable {
    /// Each YAML file's pipeline folder: the directory given on the command line, or the
    /// folder of a file given on it; symlinks resolved.
    var roots: [String: String] = [:]
    /// Further folders files may come from, symlinks resolved.
    var extraFolders: [String]

    public init(extraFolders: [String] = []) {
        self.extraFolders = extraFolders.filter { !$0.isEmpty }.map { Self.real(Self.absolute($0)) }
    }

    enum Resolution {
        /// Absolute and standardised (`..` removed): a saved plan may be applied from another directory.
        case allowed(String)
        /// Outside every allowed folder; `folder` is the YAML file's pipeline folder.
        case outside(resolved: String, folder: String)
    }

    /// `written` (relative to the YAML file, or absolute) checked against the YAML file's folder.
    func resolve(_ written: String, from yamlFile: String) -> Resolution {
        let base = (yamlFile as NSString).deletingLastPathComponent
        let joined = written.hasPrefix("/") ? written : ((base.isEmpty ? "." : base) as NSString).appendingPathComponent(written)
        let standardized = Self.absolute(joined)
        let real = Self.real(standardized)
        let root = roots[yamlFile] ?? Self.real(Self.absolute(base.isEmpty ? "." : base))
        for folder in [root] + extraFolders where Self.contains(folder, real) {
            return .allowed(standardized)
        }
        return .outside(resolved: standardized, folder: root)
    }

    /// The pipeline folder of a command-line path: itself when a directory, else its folder.
    static func root(ofArgument path: String, isDirectory: Bool) -> String {
        let folder = isDirectory ? path : (path as NSString).deletingLastPathComponent
        return real(absolute(folder.isEmpty ? "." : folder))
    }

    static func contains(_ folder: String, _ path: String) -> Bool {
        folder == "/" || path == folder || path.hasPrefix(folder.hasSuffix("/") ? folder : folder + "/")
    }

    /// Absolute (against the working directory) with `.` and `..` removed, symlinks kept.
    static func absolute(_ path: String) -> String {
        URL(fileURLWithPath: path).standardized.path
    }

    /// `path` with every symlink resolved. A path that does not exist keeps its missing tail
    /// under its deepest existing ancestor (resolved); reading it then fails as missing.
    static func real(_ path: String) -> String {
        if let resolved = realpath(path, nil) {
            defer { free(resolved) }
            return String(cString: resolved)
        }
        let parent = (path as NSString).deletingLastPathComponent
        guard !parent.isEmpty, parent != path else { return path }
        return (real(parent) as NSString).appendingPathComponent((path as NSString).lastPathComponent)
    }
}
