import Foundation

/// Field-level comparison, so a plan can show only what changed (as Terraform does).
extension JSONValue {
    /// Paths of the leaves that differ between two trees (`spec.permissions.templates`).
    /// Arrays are compared whole: a reordered list is one changed field, not many.
    public static func changedPaths(from old: JSONValue?, to new: JSONValue?, prefix: String = "") -> [String] {
        switch (old, new) {
        case let (.object(a)?, .object(b)?):
            let keys = Set(a.keys).union(b.keys).sorted()
            return keys.flatMap { key in
                changedPaths(from: a[key], to: b[key], prefix: join(prefix, key))
            }
        default:
            if old == new { return [] }
            if case .null? = old, new == nil { return [] }
            if case .null? = new, old == nil { return [] }
            return [prefix]
        }
    }

    /// The value at a path made by `changedPaths` or `leaves`, or nil when absent.
    public func value(at path: String) -> JSONValue? {
        var current: JSONValue? = self
        for key in JSONValue.components(of: path) {
            current = current?[key]
        }
        return current
    }

    /// Appends a key to a path: `a.b`, or `a["b.c"]` when the key itself holds a dot or other
    /// punctuation (campaign parameters such as `button.2`), so paths stay unambiguous.
    public static func join(_ prefix: String, _ key: String) -> String {
        let plain = !key.isEmpty && key.unicodeScalars.allSatisfy { CharacterSet.alphanumerics.contains($0) || $0 == "_" || $0 == "-" }
        if !plain { return "\(prefix)[\"\(key)\"]" }
        return prefix.isEmpty ? key : "\(prefix).\(key)"
    }

    /// Splits a path made by `join` back into its keys.
    public static func components(of path: String) -> [String] {
        var keys: [String] = []
        var rest = Substring(path)
        while !rest.isEmpty {
            if rest.hasPrefix("[\""), let close = rest.range(of: "\"]") {
                keys.append(String(rest[rest.index(rest.startIndex, offsetBy: 2)..<close.lowerBound]))
                rest = rest[close.upperBound...]
            } else {
                if rest.hasPrefix(".") { rest = rest.dropFirst() }
                let end = rest.firstIndex(where: { $0 == "." || $0 == "[" }) ?? rest.endIndex
                keys.append(String(rest[..<end]))
                rest = rest[end...]
            }
        }
        return keys
    }

    /// Every leaf with its dotted path; arrays of scalars stay whole, arrays of objects are
    /// expanded with `[i]`. Used to print a resource being created or destroyed.
    public func leaves(prefix: String = "") -> [(path: String, value: JSONValue)] {
        switch self {
        case .object(let members):
            return members.sorted { $0.key < $1.key }.flatMap { key, value -> [(path: String, value: JSONValue)] in
                value.leaves(prefix: JSONValue.join(prefix, key))
            }
        case .array(let items) where items.contains(where: { if case .object = $0 { return true } else { return false } }):
            return items.enumerated().flatMap { index, item in item.leaves(prefix: "\(prefix)[\(index)]") }
        case .null:
            return []
        default:
            return [(prefix, self)]
        }
    }

    /// Compact display for plan output: strings quoted, lists inline.
    public var displayString: String {
        switch self {
        case .string(let value): return "\"\(value.replacingOccurrences(of: "\n", with: "\\n"))\""
        default: return canonicalString
        }
    }
}
