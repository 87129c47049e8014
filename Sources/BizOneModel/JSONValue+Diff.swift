/// Field-level comparison, so a plan can show only what changed (as Terraform does).
extension JSONValue {
    /// Paths of the leaves that differ between two trees (`spec.permissions.templates`).
    /// Arrays are compared whole: a reordered list is one changed field, not many.
    public static func changedPaths(from old: JSONValue?, to new: JSONValue?, prefix: String = "") -> [String] {
        switch (old, new) {
        case let (.object(a)?, .object(b)?):
            let keys = Set(a.keys).union(b.keys).sorted()
            return keys.flatMap { key in
                changedPaths(from: a[key], to: b[key], prefix: prefix.isEmpty ? key : "\(prefix).\(key)")
            }
        default:
            if old == new { return [] }
            if case .null? = old, new == nil { return [] }
            if case .null? = new, old == nil { return [] }
            return [prefix]
        }
    }

    /// The value at a dotted path made by `changedPaths`, or nil when absent.
    public func value(at path: String) -> JSONValue? {
        var current: JSONValue? = self
        for key in path.split(separator: ".") {
            current = current?[String(key)]
        }
        return current
    }

    /// Every leaf with its dotted path; arrays of scalars stay whole, arrays of objects are
    /// expanded with `[i]`. Used to print a resource being created or destroyed.
    public func leaves(prefix: String = "") -> [(path: String, value: JSONValue)] {
        switch self {
        case .object(let members):
            return members.keys.sorted().flatMap { key -> [(path: String, value: JSONValue)] in
                let path = prefix.isEmpty ? key : "\(prefix).\(key)"
                return members[key]!.leaves(prefix: path)
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
