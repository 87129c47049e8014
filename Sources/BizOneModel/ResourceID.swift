/// Identity of a resource: kind and name, plus the language for templates.
public struct ResourceID: Sendable, Hashable, Codable, Comparable, CustomStringConvertible {
    public var kind: ResourceKind
    public var name: String
    public var language: String?

    public init(kind: ResourceKind, name: String, language: String? = nil) {
        self.kind = kind
        self.name = name
        self.language = language
    }

    /// `kind/name` or `template/name@language`.
    public var description: String {
        if let language { return "\(kind.slug)/\(name)@\(language)" }
        return "\(kind.slug)/\(name)"
    }

    /// Parses the printed form back, for flags such as `--confirm-delete` and `status ID`.
    public init?(parsing text: String) {
        let parts = text.split(separator: "/", maxSplits: 1).map(String.init)
        guard parts.count == 2, let kind = ResourceKind(slug: parts[0]), !parts[1].isEmpty else { return nil }
        var name = parts[1]
        var language: String?
        if kind == .template {
            let pieces = name.split(separator: "@", maxSplits: 1).map(String.init)
            guard pieces.count == 2 else { return nil }
            name = pieces[0]
            language = pieces[1]
        }
        self.init(kind: kind, name: name, language: language)
    }

    public static func < (lhs: ResourceID, rhs: ResourceID) -> Bool {
        if lhs.kind != rhs.kind { return lhs.kind < rhs.kind }
        if lhs.name != rhs.name { return lhs.name < rhs.name }
        return (lhs.language ?? "") < (rhs.language ?? "")
    }

    public init(from decoder: Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let id = ResourceID(parsing: text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not a resource id: \(text)"))
        }
        self = id
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
