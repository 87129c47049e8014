import BizOneModel
import Yams

/// Where each field of one YAML document sits, by dotted path (`spec.buttons[1].url`).
///
/// Rules report problems by path; this turns the path back into the nearest position that
/// exists in the file, so even "missing field" problems point somewhere useful.
public struct NodeIndex: Sendable {
    public let file: String
    private(set) var values: [String: SourceLocation] = [:]
    private(set) var keys: [String: SourceLocation] = [:]
    public let root: SourceLocation

    init(file: String, root: SourceLocation) {
        self.file = file
        self.root = root
    }

    mutating func record(path: String, value: Mark?, key: Mark?) {
        if let value { values[path] = location(value) }
        if let key { keys[path] = location(key) }
    }

    func location(_ mark: Mark) -> SourceLocation {
        SourceLocation(file: file, line: mark.line, column: mark.column)
    }

    /// The value's position, else its key's, else the closest enclosing field's.
    public func location(of path: String) -> SourceLocation {
        var current = path
        while !current.isEmpty {
            if let found = values[current] ?? keys[current] { return found }
            current = NodeIndex.parent(of: current)
        }
        return root
    }

    /// The position of a field's key (for "unknown field" and similar).
    public func keyLocation(of path: String) -> SourceLocation {
        keys[path] ?? location(of: path)
    }

    static func parent(of path: String) -> String {
        if path.hasSuffix("]"), let open = path.lastIndex(of: "[") { return String(path[..<open]) }
        if let dot = path.lastIndex(of: ".") { return String(path[..<dot]) }
        return ""
    }
}
